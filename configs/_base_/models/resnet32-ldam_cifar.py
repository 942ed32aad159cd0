# The CIFAR ResNet-32 of LDAM / the long-tail literature (16/32/64 channels, option-A
# shortcuts, 64-d pooled feature) with a linear classifier and plain softmax CE; 10 classes,
# a config sets its own num_classes.
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNetCifarLDAM', depth=32),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=10, in_channels=64,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

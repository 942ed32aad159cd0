# CE baseline on ImageNet-LT: ResNeXt-50 32x4d from scratch (2048-d feature), linear
# classifier, plain softmax CE, instance-balanced sampling; RIDE's ImageNet-LT schedule
# (batch 256 = 8 x 32, SGD Nesterov lr 0.1, wd 2e-4, 5 warm-up epochs, x0.1 at 60 and 80,
# 100 epochs). Selected on the val list, reported on the test list.
_base_ = [
    '../_base_/datasets/imagenet-lt_bs32.py', '../_base_/schedules/imagenet-lt_sgd-100e.py',
    '../_base_/default_runtime_cls.py'
]
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNeXt', depth=50, groups=32, width_per_group=4, num_stages=4,
                  out_indices=(3, ), style='pytorch'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=1000, in_channels=2048,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

# FCC recipe of the original repository on CIFAR-100-LT IF100 (Cao et al. profile, seed 0,
# 10,847 images): LDAM ResNet-32, plain CE, instance-balanced sampling, 200 epochs (SGD lr
# 0.1, wd 2e-4, 5 warm-up epochs, x0.01 at 160 and 180), FCC gamma 1.0 from epoch 51.
# Needs the CIFAR-100 python pickles in data/cifar100/cifar-100-python/ (never downloaded).
_base_ = ['../_base_/schedules/cifar-lt_sgd-200e.py', '../_base_/default_runtime_cls.py']
data_root = 'data/cifar100/'
model = dict(
    type='LTImageClassifier',
    backbone=dict(type='ResNetCifarLDAM', depth=32),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=100, in_channels=64,
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)),
    feat_transform=dict(type='FeatureClusterCompression', num_classes=100, gamma=1.0,
                        start_epoch=50, order='rank'))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

data_preprocessor = dict(
    num_classes=100, mean=[125.307, 122.961, 113.8575], std=[51.5865, 50.847, 51.255],
    to_rgb=False)
train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(type='CIFAR100LT', data_root=data_root, split='train', imb_factor=100,
                 seed=0, pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=256,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(type='CIFAR100LT', data_root=data_root, split='test', test_mode=True,
                 pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='ShotAccuracy')
test_dataloader = val_dataloader
test_evaluator = val_evaluator

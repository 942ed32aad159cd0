# RIDE stage 1 on ImageNet-LT: ResNeXt-50 32x4d, shared stem + layer1-2, 3 experts with reduced
# layer3/4 (192/384 planes, 1536-d features), cosine classifiers (s=30), RIDE loss (LDAM max_m
# 0.5, DRW + per-class temperatures from epoch 81, diversity -0.2, reweight factor 0.02).
# SGD Nesterov lr 0.1, wd 2e-4, batch 256 (8 GPUs x 32), 5 warm-up epochs, lr x0.1 at 60 and
# 80, 100 epochs. Data: ImageNetLT split lists under data/imagenet_lt/ (ImageNet_LT_*.txt).
_base_ = ['../_base_/default_runtime_cls.py']

num_classes = 1000
num_experts = 3
data_root = 'data/imagenet_lt/'
model = dict(
    type='RIDEClassifier',
    backbone=dict(type='RIDEResNet', depth=50, groups=32, width_per_group=4,
                  num_experts=num_experts, reduce_dimension=True, num_shared_stages=2),
    head=dict(
        type='RIDEHead', num_classes=num_classes, in_channels=1536, num_experts=num_experts,
        scale=30.0,
        loss=dict(type='RIDELoss', max_m=0.5, scale=30.0, reweight=True, reweight_epoch=80,
                  beta=0.9999, base_loss_factor=1.0, diversity_factor=-0.2,
                  base_temperature=1.0, reweight_factor=0.02)))

data_preprocessor = dict(num_classes=num_classes, mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=32, num_workers=8, persistent_workers=True,
    dataset=dict(type='ImageNetLT', data_root=data_root, split='train',
                 pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=64, num_workers=8, persistent_workers=True,
    dataset=dict(type='ImageNetLT', data_root=data_root, split='test',
                 pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='ShotAccuracy', num_classes=num_classes)
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=2e-4, nesterov=True))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=100, milestones=[60, 80], gamma=0.1)
]
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=100, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=256)
custom_hooks = [dict(type='SetClassStatsHook'), dict(type='SetEpochHook')]

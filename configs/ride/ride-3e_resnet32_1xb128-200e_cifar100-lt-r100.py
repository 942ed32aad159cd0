# RIDE stage 1 (no distillation) on CIFAR-100-LT IF100: LDAM ResNet-32 with 3 experts of reduced
# width (shared stem + stage 1 at 16, per-expert stages at 24/48), cosine classifiers (s=30),
# RIDE loss (LDAM max_m 0.5, DRW + per-class diversity temperatures from epoch 161,
# diversity factor -0.45, reweight factor 0.05). SGD Nesterov lr 0.1, wd 5e-4, batch 128,
# 5 warm-up epochs, lr x0.01 at 160 and 180, 200 epochs. Augmentation adds RandomRotation(15).
# Data: CIFAR100LT reads data/cifar100/cifar-100-python (never downloads).
_base_ = [
    '../_base_/datasets/cifar100-lt_bs128.py', '../_base_/schedules/cifar-lt_sgd-200e.py',
    '../_base_/default_runtime_cls.py'
]

num_classes = 100
num_experts = 3

model = dict(
    type='RIDEClassifier',
    backbone=dict(type='RIDEResNetCifar', depth=32, num_experts=num_experts,
                  reduce_dimension=True),
    head=dict(
        type='RIDEHead', num_classes=num_classes, in_channels=48, num_experts=num_experts,
        scale=30.0,
        loss=dict(type='RIDELoss', max_m=0.5, scale=30.0, reweight=True, reweight_epoch=160,
                  beta=0.9999, base_loss_factor=1.0, diversity_factor=-0.45,
                  base_temperature=1.0, reweight_factor=0.05)))

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    # uniform angle in [-15, 15] degrees, zero fill (torchvision RandomRotation(15))
    dict(type='Rotate', magnitude_range=(0, 15), magnitude_level=10, total_level=10,
         magnitude_std='inf', prob=1.0, random_negative_prob=0.5, pad_val=0),
    dict(type='PackInputs'),
]
train_dataloader = dict(num_workers=4, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=4)
val_evaluator = dict(type='ShotAccuracy')  # training counts from SetClassStatsHook
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
# class counts into RIDELoss (from the training set) and the 1-based epoch for the DRW switch
custom_hooks = [dict(type='SetClassStatsHook'), dict(type='SetEpochHook')]

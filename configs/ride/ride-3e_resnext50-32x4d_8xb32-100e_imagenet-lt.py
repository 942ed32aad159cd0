# RIDE stage 1 on ImageNet-LT: ResNeXt-50 32x4d, shared stem + layer1-2, 3 experts with reduced
# layer3/4 (192/384 planes, 1536-d features), cosine classifiers (s=30), RIDE loss (LDAM max_m
# 0.5, DRW + per-class temperatures from epoch 81, diversity -0.2, reweight factor 0.02).
# SGD Nesterov lr 0.1, wd 2e-4, batch 256 (8 GPUs x 32), 5 warm-up epochs, lr x0.1 at 60 and
# 80, 100 epochs. Data: ImageNetLT split lists under data/imagenet_lt/ (ImageNet_LT_*.txt);
# validation runs on the test list, as RIDE does.
_base_ = [
    '../_base_/datasets/imagenet-lt_bs32.py', '../_base_/schedules/imagenet-lt_sgd-100e.py',
    '../_base_/default_runtime_cls.py'
]

num_experts = 3
model = dict(
    type='RIDEClassifier',
    backbone=dict(type='RIDEResNet', depth=50, groups=32, width_per_group=4,
                  num_experts=num_experts, reduce_dimension=True, num_shared_stages=2),
    head=dict(
        type='RIDEHead', num_classes=1000, in_channels=1536, num_experts=num_experts,
        scale=30.0,
        loss=dict(type='RIDELoss', max_m=0.5, scale=30.0, reweight=True, reweight_epoch=80,
                  beta=0.9999, base_loss_factor=1.0, diversity_factor=-0.2,
                  base_temperature=1.0, reweight_factor=0.02)))
val_dataloader = dict(dataset=dict(split='test'))
custom_hooks = [dict(type='SetClassStatsHook'), dict(type='SetEpochHook')]

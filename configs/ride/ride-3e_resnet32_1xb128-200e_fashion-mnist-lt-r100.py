# RIDE twin of the CE baseline on Fashion-MNIST-LT IF100 (same data, schedule and runtime):
# LDAM ResNet-32 with 3 reduced experts, cosine classifiers, RIDE loss with the CIFAR settings
# (DRW + per-class temperatures from epoch 161, diversity -0.45), SGD Nesterov wd 5e-4.
_base_ = '../baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
model = dict(
    _delete_=True,
    type='RIDEClassifier',
    backbone=dict(type='RIDEResNetCifar', depth=32, num_experts=3, reduce_dimension=True),
    head=dict(
        type='RIDEHead', num_classes=10, in_channels=48, num_experts=3, scale=30.0,
        loss=dict(type='RIDELoss', max_m=0.5, scale=30.0, reweight=True, reweight_epoch=160,
                  diversity_factor=-0.45, base_temperature=1.0, reweight_factor=0.05)))
optim_wrapper = dict(optimizer=dict(weight_decay=5e-4, nesterov=True))
custom_hooks = [dict(type='SetClassStatsHook'), dict(type='SetEpochHook')]

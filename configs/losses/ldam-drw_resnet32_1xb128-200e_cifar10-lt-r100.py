# LDAM-DRW (BagofTricks 'DRW -> LDAM'): cosine classifier (FCNorm, logits in [-1, 1]),
# LDAM margins max_m 0.5 with scale s 30 applied by the loss, class-balanced weights
# (beta 0.9999) from epoch 161 on (DRW, 1-based epoch > 160).
# ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-10-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar10-lt-r100.py'
model = dict(
    head=dict(type='LTLinearClsHead', cosine=True, scale=1.0,
              loss=dict(type='LDAMLoss', max_m=0.5, scale=30.0, beta=0.9999, drw_epoch=160)))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

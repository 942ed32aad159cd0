# Cost-sensitive CE (CS_CE): CE weighted by (n_min / n_c) ** gamma, gamma 1. For the DRW form
# (BagofTricks 'DRW -> CS_CE') add model.head.loss.drw_epoch=160 and SetEpochHook.
# ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-100-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(head=dict(loss=dict(type='CostSensitiveCELoss', gamma=1.0)))
custom_hooks = [dict(type='SetClassStatsHook')]

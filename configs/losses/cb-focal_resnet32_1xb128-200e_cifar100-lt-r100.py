# Class-balanced focal loss (CB-Focal, BagofTricks-LT form): the sigmoid focal loss, gamma 1,
# of each sample weighted by (1 - beta) / (1 - beta ** n_y), normalised to sum C; beta 0.9 as
# in BagofTricks-LT for CIFAR-100-LT IF100. ResNet-32, 200-epoch CIFAR-LT recipe.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(head=dict(loss=dict(type='ClassBalancedLoss', beta=0.9, loss_type='focal',
                                 gamma=1.0)))
custom_hooks = [dict(type='SetClassStatsHook')]

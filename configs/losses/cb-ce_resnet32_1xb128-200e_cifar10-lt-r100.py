# Class-balanced CE (CB-CE): CE weighted by (1 - beta) / (1 - beta ** n_c), normalised to sum C;
# beta 0.9999 and the weighted batch mean sum w_y l / sum w_y as in BagofTricks-LT for this
# data set.
# ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-10-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar10-lt-r100.py'
model = dict(head=dict(loss=dict(type='ClassBalancedLoss', beta=0.9999, loss_type='softmax',
                                 normalize='weighted')))
custom_hooks = [dict(type='SetClassStatsHook')]

# Class-dependent temperatures (CDT): training logits z_c / a_c with a_c = (n_max / n_c) ** 0.2;
# plain logits at test.
# ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-100-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(head=dict(loss=dict(type='CDTLoss', gamma=0.2)))
custom_hooks = [dict(type='SetClassStatsHook')]

# Balanced Softmax CE (BSCE): CE on z_c + log n_c during training, plain logits at test.
# ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-10-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar10-lt-r100.py'
model = dict(head=dict(loss=dict(type='BalancedSoftmaxLoss')))
custom_hooks = [dict(type='SetClassStatsHook')]

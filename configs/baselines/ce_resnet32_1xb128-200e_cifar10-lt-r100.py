# Baseline on CIFAR-10-LT IF100: LDAM-style CIFAR ResNet-32 (16/32/64 channels, option-A
# shortcuts), plain softmax CE, instance-balanced sampling, the 200-epoch CIFAR-LT recipe.
_base_ = [
    '../_base_/models/resnet32-ldam_cifar.py', '../_base_/datasets/cifar10-lt_bs128.py',
    '../_base_/schedules/cifar-lt_sgd-200e.py', '../_base_/default_runtime_cls.py'
]

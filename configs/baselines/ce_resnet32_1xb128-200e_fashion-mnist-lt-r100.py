# Baseline: LDAM-style CIFAR ResNet-32 (16/32/64 channels, option-A shortcuts), plain softmax
# CE, instance-balanced sampling, the 200-epoch CIFAR-LT recipe, on Fashion-MNIST-LT IF100.
_base_ = [
    '../_base_/models/resnet32-ldam_cifar.py',
    '../_base_/datasets/fashion-mnist-lt-r100_bs128.py',
    '../_base_/schedules/cifar-lt_sgd-200e.py', '../_base_/default_runtime_cls.py'
]

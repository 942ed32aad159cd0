# RIDE stage 1 with 2 experts on CIFAR-100-LT IF100 (otherwise as the 3-expert config).
_base_ = './ride-3e_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(backbone=dict(num_experts=2), head=dict(num_experts=2))

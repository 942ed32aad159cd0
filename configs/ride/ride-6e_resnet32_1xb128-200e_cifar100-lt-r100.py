# RIDE with 6 experts on CIFAR-100-LT IF100: the distillation teacher of the model zoo (50.2%
# top-1 without expert assignment).
_base_ = './ride-3e_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(backbone=dict(num_experts=6), head=dict(num_experts=6))

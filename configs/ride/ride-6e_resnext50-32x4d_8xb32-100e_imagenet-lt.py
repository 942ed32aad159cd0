# RIDE with 6 experts on ImageNet-LT, ResNeXt-50: the distillation teacher of the model zoo
# (57.5% top-1 without expert assignment).
_base_ = './ride-3e_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(backbone=dict(num_experts=6), head=dict(num_experts=6))

# RIDE stage 1 with 2 experts on ImageNet-LT, ResNet-50 (otherwise as the 3-expert config).
_base_ = './ride-3e_resnet50_8xb32-100e_imagenet-lt.py'
model = dict(backbone=dict(num_experts=2), head=dict(num_experts=2))

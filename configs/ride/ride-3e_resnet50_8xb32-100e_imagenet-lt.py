# RIDE stage 1 on ImageNet-LT with ResNet-50 (Bottleneck, reduced layer3/4, 1536-d features).
_base_ = './ride-3e_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(backbone=dict(groups=1))

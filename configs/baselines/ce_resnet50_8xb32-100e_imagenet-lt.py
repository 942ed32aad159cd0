# CE baseline on ImageNet-LT with ResNet-50 (2048-d), otherwise as the ResNeXt-50 config.
_base_ = './ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(backbone=dict(_delete_=True, type='ResNet', depth=50, num_stages=4,
                           out_indices=(3, ), style='pytorch'))

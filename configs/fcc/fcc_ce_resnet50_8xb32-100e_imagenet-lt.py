# FCC on the CE ResNet-50 baseline of ImageNet-LT: the ResNeXt-50 FCC config (gamma 0.1, FCC
# from epoch 26, factors by frequency rank) with the ResNet-50 backbone (2048-d).
_base_ = './fcc_ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(backbone=dict(_delete_=True, type='ResNet', depth=50, num_stages=4,
                           out_indices=(3, ), style='pytorch'))

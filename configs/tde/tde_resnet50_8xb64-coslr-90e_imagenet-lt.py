# TDE on ImageNet-LT with ResNet-50 from scratch (2048-d feature), otherwise as the ResNeXt-50
# config (K=2, tau=16, gamma=1/32, alpha=3.0, adaptive mu, 90 epochs cosine, batch 512).
_base_ = './tde_resnext50_8xb64-coslr-90e_imagenet-lt.py'
model = dict(backbone=dict(_delete_=True, type='ResNet', depth=50, num_stages=4,
                           out_indices=(3, ), style='pytorch'))

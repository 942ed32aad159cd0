# TDE on ImageNet-LT with the ResNet-10 of the long-tail literature (LTResNet, 512-d feature,
# two 256-d heads), otherwise as the ResNeXt-50 config.
_base_ = './tde_resnext50_8xb64-coslr-90e_imagenet-lt.py'
model = dict(backbone=dict(_delete_=True, type='LTResNet', depth=10, out_indices=(3, )),
             head=dict(in_channels=512))

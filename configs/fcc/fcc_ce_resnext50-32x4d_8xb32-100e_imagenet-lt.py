# FCC on the CE ResNeXt-50 32x4d baseline of ImageNet-LT (RIDE's 100-epoch schedule, batch 256):
# the backbone feature of each training image is multiplied by 1 + gamma - k * (gamma / C)
# (k = the frequency rank of its class, 2 decimals); test features are left unscaled. gamma
# 0.1 as the original's ImageNet-LT configs; FCC from epoch 26 on (their start epoch 50 of 200
# epochs, scaled to this 100-epoch schedule).
_base_ = '../baselines/ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(
    type='LTImageClassifier',
    feat_transform=dict(type='FeatureClusterCompression', num_classes=1000, gamma=0.1,
                        start_epoch=25, order='rank'))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

# FCC on the CE ResNet-50 baseline of iNaturalist 2018 (8,142 classes, RIDE's schedule: batch
# 512, lr 0.2, 100 epochs): gamma 0.1 and FCC from the first epoch (start epoch 0), as the
# original's iNat18 configs; factors by frequency rank, since the iNat18 class order is not
# sorted by frequency.
_base_ = '../baselines/ce_resnet50_8xb64-100e_inat18.py'
model = dict(
    type='LTImageClassifier',
    feat_transform=dict(type='FeatureClusterCompression', num_classes=8142, gamma=0.1,
                        start_epoch=0, order='rank'))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

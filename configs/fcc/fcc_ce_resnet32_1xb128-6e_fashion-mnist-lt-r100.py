# Short CPU twin of the FCC recipe on the 6-epoch CE baseline schedule: FCC from epoch 3 on
# (start epoch 50 of 200 scaled to 6 epochs, rounded up).
_base_ = '../baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
model = dict(
    type='LTImageClassifier',
    feat_transform=dict(type='FeatureClusterCompression', num_classes=10, gamma=0.5,
                        start_epoch=2, order='rank'))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

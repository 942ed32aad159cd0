# FCC (feature clusters compression) on the CE ResNet-32 baseline: from epoch 51 on, the
# backbone feature of each training image is multiplied by 1 + gamma - k * gamma / C (k = the
# frequency rank of its class); test features are left unscaled. gamma 0.5 as the original's
# 10-class (CIFAR-10-LT) configs, start epoch 50 as all its CIFAR configs.
_base_ = '../baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
model = dict(
    type='LTImageClassifier',
    feat_transform=dict(type='FeatureClusterCompression', num_classes=10, gamma=0.5,
                        start_epoch=50, order='rank'))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

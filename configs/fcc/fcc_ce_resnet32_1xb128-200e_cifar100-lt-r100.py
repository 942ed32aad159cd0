# FCC recipe of the original repository on CIFAR-100-LT IF100 (Cao et al. profile, seed 0,
# 10,847 images): LDAM ResNet-32, plain CE, instance-balanced sampling, 200 epochs (SGD lr
# 0.1, wd 2e-4, 5 warm-up epochs, x0.01 at 160 and 180), FCC gamma 1.0 from epoch 51.
# Needs the CIFAR-100 python pickles in data/cifar100/cifar-100-python/ (never downloaded).
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(
    type='LTImageClassifier',
    feat_transform=dict(type='FeatureClusterCompression', num_classes=100, gamma=1.0,
                        start_epoch=50, order='rank'))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]
val_evaluator = dict(type='ShotAccuracy')
test_evaluator = val_evaluator

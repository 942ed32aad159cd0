# FCC recipe of the original repository on CIFAR-100-LT IF100 (Cao et al. profile, seed 0,
# 10,847 images): LDAM ResNet-32, plain CE, instance-balanced sampling, 200 epochs (SGD lr
# 0.1, wd 2e-4, 5 warm-up epochs, x0.01 at 160 and 180), FCC gamma 1.0 from epoch 51.
# Needs the CIFAR-100 python pickles in data/cifar100/cifar-100-python/ (never downloaded).
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
# floor(500 * 0.01 ** (i / 99)), the training counts of CIFAR-100-LT IF100
class_counts = [
    500, 477, 455, 434, 415, 396, 378, 361, 344, 328, 314, 299, 286, 273, 260, 248, 237, 226,
    216, 206, 197, 188, 179, 171, 163, 156, 149, 142, 135, 129, 123, 118, 112, 107, 102, 98,
    93, 89, 85, 81, 77, 74, 70, 67, 64, 61, 58, 56, 53, 51, 48, 46, 44, 42, 40, 38, 36, 35, 33,
    32, 30, 29, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 15, 14, 13, 13, 12, 12,
    11, 11, 10, 10, 9, 9, 8, 8, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5
]
model = dict(
    type='LTImageClassifier',
    feat_transform=dict(type='FeatureClusterCompression', num_classes=100, gamma=1.0,
                        start_epoch=50, order='rank'))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]
val_evaluator = dict(type='ShotAccuracy', class_counts=class_counts)
test_evaluator = val_evaluator

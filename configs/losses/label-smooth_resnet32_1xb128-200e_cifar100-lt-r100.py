# Label smoothing, epsilon 0.1: CE against (1 - 0.1) * onehot + 0.1 / C (mmpretrain's
# LabelSmoothLoss, 'original' mode). ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-100-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(head=dict(loss=dict(_delete_=True, type='LabelSmoothLoss', label_smooth_val=0.1,
                                 num_classes=100, mode='original', loss_weight=1.0)))

# Focal loss in the BagofTricks-LT form: sigmoid focal, sum over classes of
# BCE(z_c, onehot_c) * (1 - p_t,c) ** 2, averaged over the batch. mmpretrain's FocalLoss
# (reused, not re-registered) divides the class sum by the batch size inside ClsHead and
# weights positives by alpha and negatives by 1 - alpha, so alpha 0.5 with loss_weight 2.0
# is that loss exactly. ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-10-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar10-lt-r100.py'
model = dict(head=dict(loss=dict(_delete_=True, type='FocalLoss', gamma=2.0, alpha=0.5,
                                 loss_weight=2.0)))

# CIFAR-100-LT (Cao et al. / LDAM profile, ltr_mm CIFAR100LT): class i keeps
# floor(500 * (1 / imb_factor) ** (i / 99)) training images of a seed-0 permutation (IF100:
# 10,847 images, 500 .. 5); test = the untouched balanced 10,000-image test split. Needs the
# CIFAR-100 python pickles in data/cifar100/cifar-100-python/ (never downloaded).
# Train: random crop 32 with padding 4, horizontal flip; normalisation of methods.md 1.1.
# ShotAccuracy gets the training counts from SetClassStatsHook (declared in the CIFAR-10-LT
# base), which counts the training set, so a child changing `imb_factor` changes them too.
_base_ = './cifar10-lt_bs128.py'
dataset_type = 'CIFAR100LT'
data_root = 'data/cifar100/'
num_classes = 100
imb_factor = 100
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root,
                                     imb_factor=imb_factor))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = val_dataloader
val_evaluator = dict(num_classes=num_classes)
test_evaluator = val_evaluator

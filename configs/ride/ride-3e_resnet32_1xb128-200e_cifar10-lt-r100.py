# RIDE stage 1 with 3 experts on CIFAR-10-LT IF100 (5000 .. 50 images per class, 12,406 images).
_base_ = './ride-3e_resnet32_1xb128-200e_cifar100-lt-r100.py'
num_classes = 10
data_root = 'data/cifar10/'
model = dict(head=dict(num_classes=num_classes))
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(dataset=dict(type='CIFAR10LT', data_root=data_root))
val_dataloader = dict(dataset=dict(type='CIFAR10LT', data_root=data_root))
test_dataloader = val_dataloader
val_evaluator = dict(num_classes=num_classes)
test_evaluator = val_evaluator

# TDE on CIFAR-10-LT IF100 (Cao profile, ltr_mm CIFAR10LT, 12,406 images): as the CIFAR-100-LT
# config (K=2, tau=16, gamma=1/32, fixed mu=0.9, the paper's schedule) with the paper's
# CIFAR-10-LT test-time alpha=1.0 and the CIFAR-10 normalisation.
_base_ = './tde_resnet32_1xb128-200e_cifar100-lt-r100.py'
data_root = 'data/cifar10/'
data_preprocessor = dict(num_classes=10, mean=[125.307, 122.961, 113.8575],
                         std=[51.5865, 50.847, 51.255])
train_dataloader = dict(dataset=dict(type='CIFAR10LT', data_root=data_root))
val_dataloader = dict(dataset=dict(type='CIFAR10LT', data_root=data_root))
test_dataloader = val_dataloader
model = dict(head=dict(num_classes=10, test_cfg=dict(alpha=1.0)))

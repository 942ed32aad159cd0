# CE baseline on CIFAR-10-LT with imbalance factor 10.
_base_ = './ce_resnet32_1xb128-200e_cifar10-lt-r100.py'
imb_factor = 10
train_dataloader = dict(dataset=dict(imb_factor=imb_factor))

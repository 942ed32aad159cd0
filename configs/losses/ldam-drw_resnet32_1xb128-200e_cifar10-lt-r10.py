# LDAM-DRW on CIFAR-10-LT with imbalance factor 10 (otherwise as the IF100 config).
_base_ = './ldam-drw_resnet32_1xb128-200e_cifar10-lt-r100.py'
imb_factor = 10
train_dataloader = dict(dataset=dict(imb_factor=imb_factor))

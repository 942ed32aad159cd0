# RIDE stage 1, 3 experts, imbalance factor 50 (otherwise as the IF100 config).
_base_ = './ride-3e_resnet32_1xb128-200e_cifar100-lt-r100.py'
imb_factor = 50
train_dataloader = dict(dataset=dict(imb_factor=imb_factor))

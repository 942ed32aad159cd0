# Balanced Softmax CE on CIFAR-100-LT with imbalance factor 50 (otherwise as the IF100 config).
_base_ = './bsce_resnet32_1xb128-200e_cifar100-lt-r100.py'
imb_factor = 50
train_dataloader = dict(dataset=dict(imb_factor=imb_factor))

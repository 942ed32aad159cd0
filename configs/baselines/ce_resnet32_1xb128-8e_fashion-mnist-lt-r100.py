# Short twin of the 200-epoch CE baseline for CPUs (the demo): 8 epochs, 1 warm-up epoch,
# lr x0.1 at epochs 6 and 7.
_base_ = './ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=1, end=8, milestones=[6, 7], gamma=0.1)
]
train_cfg = dict(max_epochs=8, val_interval=8)

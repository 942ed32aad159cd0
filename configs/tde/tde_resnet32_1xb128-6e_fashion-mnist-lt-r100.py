# Short TDE twin for CPUs (like the 6-epoch CE demo): 6 epochs, 1 warm-up epoch, lr x0.1 at
# epochs 4 and 5; the causal-norm head keeps K=2, tau=16, gamma=1/32, mu=0.9, alpha=1.0.
_base_ = './tde_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=6, milestones=[4, 5], gamma=0.1)
]
train_cfg = dict(max_epochs=6, val_interval=6)

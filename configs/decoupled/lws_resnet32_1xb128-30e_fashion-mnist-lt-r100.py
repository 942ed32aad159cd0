# LWS, learnable weight scaling (Decoupling, stage 2) on the CE ResNet-32 baseline: the whole
# stage-1 model is loaded, its linear classifier is frozen inside LWSClsHead and only one scale
# per class (head.fc.scales, initialised to 1) is trained, with class-balanced sampling and
# BN in eval mode; the stage-2 schedule of cRT (30 epochs, SGD lr 0.1, wd 5e-4, 5 warm-up
# epochs, lr x0.1 at epochs 10 and 20).
_base_ = '../baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
load_from = 'work_dirs/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100/epoch_200.pth'  # stage 1
model = dict(head=dict(type='LWSClsHead', init_cfg=None))
custom_hooks = [dict(type='FreezeModulesHook', trainable=['head.fc.scales']),
                dict(type='SetClassStatsHook')]  # training counts of ShotAccuracy
default_hooks = dict(check_stage1=dict(  # stop if the stage-1 checkpoint does not fit
    type='Stage1CheckpointHook', allow_new=['head.fc.scales']))
train_dataloader = dict(sampler=dict(_delete_=True, type='ClassBalancedSampler'))
optim_wrapper = dict(optimizer=dict(weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=30, milestones=[10, 20], gamma=0.1)
]
train_cfg = dict(max_epochs=30, val_interval=10)

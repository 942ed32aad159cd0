# cRT, classifier re-training (Decoupling, stage 2) on the CE ResNet-32 baseline of
# CIFAR-100-LT IF100: backbone weights from the stage-1 checkpoint, a freshly initialised
# linear classifier, backbone frozen with BN in eval mode, class-balanced sampling; the
# BagofTricks-LT CIFAR schedule: 30 epochs, SGD lr 0.1, wd 5e-4, batch 128, 5 warm-up epochs,
# lr x0.1 at epochs 10 and 20.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
# The stage-1 checkpoint (train the baseline config first); only its `backbone.` weights are
# loaded, through the backbone's init_cfg, so the classifier keeps its fresh initialisation.
stage1_checkpoint = 'work_dirs/ce_resnet32_1xb128-200e_cifar100-lt-r100/epoch_200.pth'
model = dict(
    backbone=dict(init_cfg=dict(type='Pretrained', checkpoint=stage1_checkpoint,
                                prefix='backbone.')),
    head=dict(type='LTLinearClsHead'))
custom_hooks = [dict(type='FreezeModulesHook', trainable=['head.fc']),
                dict(type='SetClassStatsHook')]  # training counts of ShotAccuracy
default_hooks = dict(check_stage1=dict(  # stop if the stage-1 checkpoint does not fit
    type='Stage1CheckpointHook', field='model.backbone.init_cfg.checkpoint',
    allow_reinit=['head.fc']))
train_dataloader = dict(sampler=dict(_delete_=True, type='ClassBalancedSampler'))
optim_wrapper = dict(optimizer=dict(weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=30, milestones=[10, 20], gamma=0.1)
]
train_cfg = dict(max_epochs=30, val_interval=10)

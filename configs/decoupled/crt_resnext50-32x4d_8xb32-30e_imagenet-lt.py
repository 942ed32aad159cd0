# cRT, classifier re-training (Decoupling, stage 2) on the CE ResNeXt-50 baseline of
# ImageNet-LT: backbone weights from the stage-1 checkpoint, a freshly initialised linear
# classifier, backbone frozen with BN in eval mode, class-balanced sampling; the cRT schedule of
# the FCC / BagofTricks-LT ImageNet-LT configs: 30 epochs, SGD lr 0.1, wd 5e-4, lr x0.1 at
# epochs 10 and 20 (batch 256 as stage 1).
_base_ = '../baselines/ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
# The stage-1 checkpoint; only its `backbone.` weights are loaded (the classifier stays fresh).
stage1_checkpoint = 'work_dirs/ce_resnext50-32x4d_8xb32-100e_imagenet-lt/epoch_100.pth'
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
optim_wrapper = dict(optimizer=dict(lr=0.1, weight_decay=5e-4))
param_scheduler = [dict(type='MultiStepLR', by_epoch=True, milestones=[10, 20], gamma=0.1)]
train_cfg = dict(max_epochs=30, val_interval=5)

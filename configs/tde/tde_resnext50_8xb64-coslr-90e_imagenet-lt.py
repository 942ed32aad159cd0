# TDE on ImageNet-LT (ltr_mm ImageNetLT split lists): ResNeXt-50 32x4d from scratch (2048-d) +
# causal-norm TDE head, K=2, tau=16, gamma=1/32, alpha=3.0, adaptive mu (TDEMomentumHook:
# mu = 1 - 0.1 * min(50 * lr, 1)). 90 epochs, batch 512 (8 x 64), SGD lr 0.2, momentum 0.9,
# wd 5e-4, cosine to 0 stepped per epoch, no warm-up; model selection on val, report on test.
_base_ = ['../_base_/datasets/imagenet-lt_bs32.py', '../_base_/default_runtime_cls.py']
train_dataloader = dict(batch_size=64, persistent_workers=False)
val_dataloader = dict(persistent_workers=False)
test_dataloader = dict(persistent_workers=False)
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNeXt', depth=50, groups=32, width_per_group=4, num_stages=4,
                  out_indices=(3, ), style='pytorch'),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='TDEClsHead', num_classes=1000, in_channels=2048, num_heads=2, tau=16.0,
              gamma=1 / 32, mu=0.9, test_cfg=dict(alpha=3.0),
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
custom_hooks = [dict(type='TDEMomentumHook', decay=0.1, lr_scale=50.0),
                dict(type='SetClassStatsHook')]  # training counts of ShotAccuracy
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.2, momentum=0.9, weight_decay=5e-4, nesterov=False))
param_scheduler = dict(type='CosineAnnealingLR', T_max=90, eta_min=0.0, by_epoch=True,
                       begin=0, end=90)
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=90, val_interval=5)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=512)

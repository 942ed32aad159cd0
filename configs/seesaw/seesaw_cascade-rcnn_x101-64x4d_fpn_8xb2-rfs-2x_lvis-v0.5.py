# Seesaw Loss in all three Cascade R-CNN X101-64x4d-FPN stages on LVIS v0.5, as mmdet's cascade
# seesaw_loss configs: SeesawLoss (p 0.8, q 2.0) on cosine classifiers (NormedLinear,
# temperature 20), RFS t = 1e-3 (ltr_mm RepeatFactorSampler), 2x schedule.
_base_ = [
    '../baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v0.5.py',
    '../_base_/samplers/rfs-stochastic_lvis.py'
]
seesaw_head = dict(cls_predictor_cfg=dict(type='NormedLinear', tempearture=20),
                   loss_cls=dict(type='SeesawLoss', p=0.8, q=2.0, num_classes=1230,
                                 loss_weight=1.0))
model = dict(roi_head=dict(bbox_head=[dict(h, **seesaw_head)
                                      for h in _base_.model.roi_head.bbox_head]))
train_dataloader = dict(sampler=dict(_delete_=True, **_base_.train_sampler))
# mmdet's 2x schedule: 24 epochs, lr x0.1 after epochs 16 and 22.
train_cfg = dict(max_epochs=24)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=24, by_epoch=True, milestones=[16, 22], gamma=0.1)
]

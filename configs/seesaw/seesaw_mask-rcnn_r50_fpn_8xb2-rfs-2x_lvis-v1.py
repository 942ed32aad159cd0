# Seesaw Loss on the Mask R-CNN R50-FPN LVIS v1 baseline, as mmdet's best seesaw_loss config
# (mask-rcnn_r50_fpn_seesaw-loss-normed-mask_sample1e-3-ms-2x): mmdet's SeesawLoss (p 0.8,
# q 2.0) on a cosine classifier (NormedLinear, temperature 20), a normalised mask predictor,
# RFS t = 1e-3 (ltr_mm RepeatFactorSampler), 2x schedule; evaluated with FastLVISMetric.
_base_ = [
    '../baselines/mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py',
    '../_base_/samplers/rfs-stochastic_lvis.py'
]
model = dict(roi_head=dict(
    bbox_head=dict(
        cls_predictor_cfg=dict(type='NormedLinear', tempearture=20),
        loss_cls=dict(_delete_=True, type='SeesawLoss', p=0.8, q=2.0, num_classes=1203,
                      loss_weight=1.0)),
    mask_head=dict(predictor_cfg=dict(type='NormedConv2d', tempearture=20))))
train_dataloader = dict(sampler=dict(_delete_=True, **_base_.train_sampler))
# mmdet's 2x schedule: 24 epochs, lr x0.1 after epochs 16 and 22.
train_cfg = dict(max_epochs=24)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=24, by_epoch=True, milestones=[16, 22], gamma=0.1)
]

# Seesaw Loss on the embedded set: the small Mask R-CNN baseline with mmdet's SeesawLoss
# (p 0.8, q 2.0, C + 2 logits) on a cosine classifier (NormedLinear, temperature 20) and a
# normalised mask predictor, random sampling (the loss alone against the baseline; RFS is a
# row of its own).
_base_ = '../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(roi_head=dict(
    bbox_head=dict(
        cls_predictor_cfg=dict(type='NormedLinear', tempearture=20),
        loss_cls=dict(_delete_=True, type='SeesawLoss', p=0.8, q=2.0, num_classes=10,
                      loss_weight=1.0)),
    mask_head=dict(predictor_cfg=dict(type='NormedConv2d', tempearture=20))))

# ECM on the embedded set: the small Mask R-CNN baseline with 10 class sigmoids plus an
# objectness logit on a cosine classifier (NormedLinear, temperature 20), a normalised mask
# predictor, margins and weights from the training image counts (fg_bg_ratio 6.3313, the
# authors' LVIS value), gradients clipped at norm 5.
_base_ = '../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(roi_head=dict(
    bbox_head=dict(
        cls_predictor_cfg=dict(type='NormedLinear', tempearture=20),
        loss_cls=dict(_delete_=True, type='ECMClsLoss', fg_bg_ratio=6.3313, loss_weight=1.0)),
    mask_head=dict(predictor_cfg=dict(type='NormedConv2d', tempearture=20))))
optim_wrapper = dict(clip_grad=dict(max_norm=5, norm_type=2))
custom_hooks = [dict(type='SetClassStatsHook', count_type='image')]

# ECM on the Mask R-CNN R50-FPN LVIS v0.5 baseline, with the authors' model settings: 1230 class
# sigmoids plus an objectness logit on a cosine classifier (NormedLinear, temperature 20), a
# normalised mask predictor (NormedConv2d, temperature 20), effective class-margins and
# weights from the training image counts (fg_bg_ratio 6.3313), gradients clipped at norm 5.
_base_ = '../baselines/mask-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py'
model = dict(roi_head=dict(
    bbox_head=dict(
        cls_predictor_cfg=dict(type='NormedLinear', tempearture=20),
        loss_cls=dict(_delete_=True, type='ECMClsLoss', fg_bg_ratio=6.3313, loss_weight=1.0)),
    mask_head=dict(predictor_cfg=dict(type='NormedConv2d', tempearture=20))))
optim_wrapper = dict(clip_grad=dict(max_norm=5, norm_type=2))
custom_hooks = [dict(type='SetClassStatsHook', count_type='image')]

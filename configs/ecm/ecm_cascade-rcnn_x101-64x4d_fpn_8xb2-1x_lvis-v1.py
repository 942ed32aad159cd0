# ECM in all three Cascade R-CNN X101-64x4d-FPN stages on LVIS v1: cosine classifiers
# (NormedLinear, temperature 20) with C + 1 outputs, margins and weights from the training
# image counts (fg_bg_ratio 6.3313), gradients clipped at norm 5.
_base_ = '../baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v1.py'
ecm_head = dict(cls_predictor_cfg=dict(type='NormedLinear', tempearture=20),
                loss_cls=dict(type='ECMClsLoss', fg_bg_ratio=6.3313, loss_weight=1.0))
model = dict(roi_head=dict(
    bbox_head=[dict(h, **ecm_head) for h in _base_.model.roi_head.bbox_head]))
optim_wrapper = dict(clip_grad=dict(max_norm=5, norm_type=2))
custom_hooks = [dict(type='SetClassStatsHook', count_type='image')]

# ECM on the Faster R-CNN R50-FPN LVIS v0.5 baseline, with the authors' model settings: 1230
# class sigmoids plus an objectness logit on a cosine classifier (NormedLinear, temperature
# 20), effective class-margins and weights from the training image counts (fg_bg_ratio
# 6.3313), gradients clipped at norm 5.
_base_ = ['../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py', '../_base_/ecm_heads.py']
model = dict(roi_head=dict(
    bbox_head=dict(_base_.ecm_cls, loss_cls=dict(_delete_=True, **_base_.ecm_cls.loss_cls))))
optim_wrapper = dict(clip_grad=_base_.ecm_clip_grad)

# ECM on the embedded set: the small Mask R-CNN baseline with 10 class sigmoids plus an
# objectness logit on a cosine classifier (NormedLinear, temperature 20), a normalised mask
# predictor, margins and weights from the training image counts (fg_bg_ratio 6.3313, the
# authors' LVIS value), gradients clipped at norm 5.
_base_ = ['../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py', '../_base_/ecm_heads.py']
model = dict(roi_head=dict(
    bbox_head=dict(_base_.ecm_cls, loss_cls=dict(_delete_=True, **_base_.ecm_cls.loss_cls)),
    mask_head=_base_.ecm_mask_head))
optim_wrapper = dict(clip_grad=_base_.ecm_clip_grad)

# ECM in all three Cascade R-CNN X101-64x4d-FPN stages on LVIS v0.5: cosine classifiers
# (NormedLinear, temperature 20) with C + 1 outputs, margins and weights from the training
# image counts (fg_bg_ratio 6.3313), gradients clipped at norm 5.
_base_ = ['../baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v0.5.py', '../_base_/ecm_heads.py']
model = dict(roi_head=dict(
    bbox_head=[dict(h, **_base_.ecm_cls) for h in _base_.model.roi_head.bbox_head]))
optim_wrapper = dict(clip_grad=_base_.ecm_clip_grad)

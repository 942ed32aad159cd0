# EQLv2 on the Mask R-CNN R50-FPN LVIS v0.5 baseline (the authors' setting: random sampling,
# 1x): 1230 class sigmoids plus an objectness logit, gradient-guided re-weighting (gamma 12,
# mu 0.8, alpha 4), statistics summed over all processes.
_base_ = '../baselines/mask-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='EQLv2ClsLoss', num_classes=1230, gamma=12.0, mu=0.8, alpha=4.0,
    loss_weight=1.0))))

# EQLv2 on the Mask R-CNN R50-FPN LVIS v1 baseline (the authors' setting: random sampling,
# 1x): 1203 class sigmoids plus an objectness logit, gradient-guided re-weighting (gamma 12,
# mu 0.8, alpha 4), statistics summed over all processes.
_base_ = '../baselines/mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='EQLv2ClsLoss', num_classes=1203, gamma=12.0, mu=0.8, alpha=4.0,
    loss_weight=1.0))))

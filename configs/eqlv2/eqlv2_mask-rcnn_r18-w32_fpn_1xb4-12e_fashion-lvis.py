# EQLv2 on the embedded set: the small Mask R-CNN baseline with 10 class sigmoids plus an
# objectness logit, gradient-guided re-weighting (gamma 12, mu 0.8, alpha 4).
_base_ = '../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='EQLv2ClsLoss', num_classes=10, gamma=12.0, mu=0.8, alpha=4.0,
    loss_weight=1.0))))

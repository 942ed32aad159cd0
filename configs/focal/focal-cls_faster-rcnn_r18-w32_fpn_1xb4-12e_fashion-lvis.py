# focal-cls on the embedded set: the small Faster R-CNN baseline with a sigmoid focal loss
# (gamma 2, alpha 0.25) on the box classifier, C = 10 logits (no background logit). fc_cls
# starts from the focal-loss prior (bias -log(99), every class at p = 0.01); the rest of the
# init is the stock Shared2FCBBoxHead's (_base_/focal-cls_bbox_head.py).
_base_ = [
    '../baselines/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py',
    '../_base_/focal-cls_bbox_head.py'
]
model = dict(roi_head=dict(bbox_head=dict(
    loss_cls=dict(_base_.focal_cls_loss, _delete_=True), init_cfg=_base_.focal_cls_init)))

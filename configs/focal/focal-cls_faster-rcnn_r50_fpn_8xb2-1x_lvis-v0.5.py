# focal-cls for the Faster R-CNN R50-FPN LVIS v0.5 baseline: sigmoid focal loss (gamma 2,
# alpha 0.25) on the box classifier, 1230 logits (no background logit). fc_cls starts from the
# focal-loss prior (bias -log(99), every class at p = 0.01); everything else is the baseline's
# (_base_/focal-cls_bbox_head.py).
_base_ = [
    '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py', '../_base_/focal-cls_bbox_head.py'
]
model = dict(roi_head=dict(bbox_head=dict(
    loss_cls=dict(_base_.focal_cls_loss, _delete_=True), init_cfg=_base_.focal_cls_init)))

# Class-balanced re-weighting for the Faster R-CNN R50-FPN LVIS v0.5 baseline: effective-number
# weighted softmax CE (beta 0.999) on the box classifier, from the training instance counts.
_base_ = '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='ClassBalancedLoss', beta=0.999, loss_type='softmax',
    loss_weight=1.0))))
custom_hooks = [dict(type='SetClassStatsHook', count_type='instance')]

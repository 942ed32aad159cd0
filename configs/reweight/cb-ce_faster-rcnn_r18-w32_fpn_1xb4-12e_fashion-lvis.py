# Class-balanced re-weighting on the embedded set: the small Faster R-CNN baseline with the
# effective-number weighted softmax CE (beta 0.999) on the box classifier, weights from the
# training instance counts, background weight 1.
_base_ = '../baselines/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='ClassBalancedLoss', beta=0.999, loss_type='softmax',
    loss_weight=1.0))))
custom_hooks = [dict(type='SetClassStatsHook', count_type='instance')]

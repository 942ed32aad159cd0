# Re-weight (inverse frequency) on the embedded set: the small Faster R-CNN baseline with a
# cost-sensitive CE on the box classifier, w_c = n_min / n_c (gamma 1) from the training
# instance counts, background weight 1.
_base_ = '../baselines/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='CostSensitiveCELoss', gamma=1.0, loss_weight=1.0))))
custom_hooks = [dict(type='SetClassStatsHook', count_type='instance')]

# Re-weight (inverse frequency) for the Faster R-CNN R50-FPN LVIS v0.5 baseline: cost-sensitive
# CE on the box classifier, w_c = n_min / n_c (gamma 1) from the training instance counts.
_base_ = '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='CostSensitiveCELoss', gamma=1.0, loss_weight=1.0))))
custom_hooks = [dict(type='SetClassStatsHook', count_type='instance')]

# Federated loss (detectron2's USE_FED_LOSS) on the Mask R-CNN R50-FPN LVIS v1 baseline:
# C sigmoid logits, BCE on the batch's ground-truth classes plus negatives drawn with
# probability ~ image_count ** 0.5, 50 classes per batch; image counts from the training set.
_base_ = '../baselines/mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='FederatedClsLoss', num_fed_classes=50, freq_power=0.5,
    loss_weight=1.0))))
custom_hooks = [dict(type='SetClassStatsHook', count_type='image')]

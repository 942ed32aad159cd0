# Federated loss on the embedded set: the small Mask R-CNN baseline with C = 10 sigmoid
# logits, BCE on the batch's ground-truth classes plus negatives drawn with probability
# ~ image_count ** 0.5. LVIS keeps 50 of 1203 classes per batch; with 10 classes, 5 per batch
# (background included) leaves the loss a choice to make (see README).
_base_ = '../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _delete_=True, type='FederatedClsLoss', num_fed_classes=5, freq_power=0.5,
    loss_weight=1.0))))
custom_hooks = [dict(type='SetClassStatsHook', count_type='image')]

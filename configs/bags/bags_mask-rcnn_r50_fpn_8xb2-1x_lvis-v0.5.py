# BAGS stage 2 (Mask R-CNN R50-FPN, LVIS v0.5): the LVIS v1 config on v0.5 data, from the v0.5
# baseline; 1230 + 4 + 2 = 1236 logits.
_base_ = ['./bags_mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py', '../_base_/datasets/lvis-v0.5_switch.py']
baseline_checkpoint = 'work_dirs/mask-rcnn_r50_fpn_8xb2-1x_lvis-v0.5/epoch_12.pth'
load_from = baseline_checkpoint
train_ann = _base_.lvis_v05_train_ann
model = dict(roi_head=dict(
    bbox_head=dict(num_classes=1230, loss_cls=dict(num_classes=1230)),
    mask_head=dict(num_classes=1230)))
train_dataloader = dict(dataset=_base_.lvis_v05_train)
val_dataloader = test_dataloader = dict(dataset=_base_.lvis_v05_val)
val_evaluator = test_evaluator = dict(ann_file=_base_.lvis_v05_val_ann)
custom_hooks = [_base_.custom_hooks[0], dict(type='SetClassStatsHook', class_stats=train_ann)]

# BAGS stage 2 (HTC X101-64x4d-FPN, LVIS v0.5): the LVIS v1 config on v0.5 data, from the v0.5
# baseline; 1230 + 4 + 2 = 1236 logits in each box stage.
_base_ = [
    './bags_htc-without-semantic_x101-64x4d_fpn_8xb2-1x_lvis-v1.py',
    '../_base_/datasets/lvis-v0.5_switch.py'
]
baseline_checkpoint = ('work_dirs/htc-without-semantic_x101-64x4d_fpn_8xb2-1x_lvis-v0.5/'
                       'epoch_12.pth')
load_from = baseline_checkpoint
train_ann = _base_.lvis_v05_train_ann
bags_loss = dict(num_classes=1230)
model = dict(roi_head=dict(
    bbox_head=[dict(h, num_classes=1230, loss_cls=dict(h.loss_cls, **bags_loss))
               for h in _base_.model.roi_head.bbox_head],
    mask_head=[dict(h, num_classes=1230) for h in _base_.model.roi_head.mask_head]))
train_dataloader = dict(dataset=_base_.lvis_v05_train)
val_dataloader = test_dataloader = dict(dataset=_base_.lvis_v05_val)
val_evaluator = test_evaluator = dict(ann_file=_base_.lvis_v05_val_ann)
custom_hooks = [_base_.custom_hooks[0], dict(type='SetClassStatsHook', class_stats=train_ann)]

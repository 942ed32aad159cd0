# BAGS stage 2 (Cascade R-CNN X101-64x4d-FPN, LVIS v1): load the matching LVIS baseline,
# freeze everything but the fc_cls of the three box stages (re-initialised: 1203 + 4 + 2 = 1209
# logits each) and train them with the group-softmax loss on the seed's schedule
# (_base_/bags_stage2_cascade.py). At test time mmdet averages the stage logits, then merges.
_base_ = [
    '../baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v1.py',
    '../_base_/bags_stage2_cascade.py'
]
baseline_checkpoint = 'work_dirs/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v1/epoch_12.pth'
load_from = baseline_checkpoint
train_ann = _base_.train_dataloader.dataset.data_root + _base_.train_dataloader.dataset.ann_file
bags_loss = dict(_base_.bags_loss, num_classes=1203)
model = dict(
    roi_head=dict(bbox_head=[dict(h, loss_cls=bags_loss) for h in _base_.model.roi_head.bbox_head]),
    test_cfg=dict(rcnn=dict(score_thr=0.001, max_per_img=300)))
default_hooks = _base_.bags_check
optim_wrapper = _base_.bags_optim_wrapper
param_scheduler = _base_.bags_param_scheduler
custom_hooks = _base_.custom_hooks + [dict(type='SetClassStatsHook', class_stats=train_ann)]

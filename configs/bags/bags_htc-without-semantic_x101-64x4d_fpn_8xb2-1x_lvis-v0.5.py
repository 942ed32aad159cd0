# BAGS stage 2 (HTC X101-64x4d-FPN, LVIS v0.5): load the matching LVIS baseline,
# freeze everything but the fc_cls of the three box stages (re-initialised: 1230 + 4 + 2 = 1236
# logits each) and train them with the group-softmax loss (instance-count groups <10 / <100 /
# <1000 / rest, beta 8). At test time mmdet averages the stage logits, then merges once.
_base_ = [
    '../baselines/htc-without-semantic_x101-64x4d_fpn_8xb2-1x_lvis-v0.5.py',
    '../_base_/bags_stage2_lvis.py'
]
baseline_checkpoint = ('work_dirs/htc-without-semantic_x101-64x4d_fpn_8xb2-1x_lvis-v0.5/'
                       'epoch_12.pth')
load_from = baseline_checkpoint
train_ann = _base_.train_dataloader.dataset.data_root + _base_.train_dataloader.dataset.ann_file
bags_loss = dict(_base_.bags_loss_cfg, num_classes=1230)
model = dict(
    roi_head=dict(bbox_head=[dict(head, loss_cls=bags_loss)
                             for head in _base_.cascade_bbox_heads]),
    test_cfg=dict(rcnn=dict(score_thr=0.001, max_per_img=300)))
custom_hooks = _base_.bags_cascade_hooks + [dict(type='SetClassStatsHook', class_stats=train_ann)]
default_hooks = _base_.bags_cascade_check
find_unused_parameters = True  # frozen parameters get no gradient under DDP
optim_wrapper = dict(optimizer=dict(lr=0.005), clip_grad=_base_.bags_clip_grad)
param_scheduler = _base_.bags_param_scheduler

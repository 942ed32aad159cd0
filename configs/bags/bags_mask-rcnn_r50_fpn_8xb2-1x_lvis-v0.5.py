# BAGS stage 2 (Mask R-CNN R50-FPN, LVIS v0.5): load the matching LVIS baseline,
# freeze everything but bbox_head.fc_cls (re-initialised: 1230 + 4 + 2 = 1236 logits) and train
# it with the group-softmax loss (instance-count groups <10 / <100 / <1000 / rest, beta 8).
_base_ = ['../baselines/mask-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py', '../_base_/bags_stage2_lvis.py']
baseline_checkpoint = 'work_dirs/mask-rcnn_r50_fpn_8xb2-1x_lvis-v0.5/epoch_12.pth'
load_from = baseline_checkpoint
train_ann = _base_.train_dataloader.dataset.data_root + _base_.train_dataloader.dataset.ann_file
model = dict(
    roi_head=dict(bbox_head=dict(loss_cls=dict(
        _base_.bags_loss_cfg, _delete_=True, num_classes=1230))),
    test_cfg=dict(rcnn=dict(score_thr=0.001, max_per_img=300)))
custom_hooks = _base_.bags_one_head_hooks + [dict(type='SetClassStatsHook', class_stats=train_ann)]
default_hooks = _base_.bags_one_head_check
find_unused_parameters = True  # frozen parameters get no gradient under DDP
optim_wrapper = dict(optimizer=dict(lr=0.01), clip_grad=_base_.bags_clip_grad)
param_scheduler = _base_.bags_param_scheduler

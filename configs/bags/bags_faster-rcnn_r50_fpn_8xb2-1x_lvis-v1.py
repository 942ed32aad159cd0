# BAGS stage 2 (Faster R-CNN R50-FPN, LVIS v1): load the matching LVIS baseline, freeze
# everything but bbox_head.fc_cls (re-initialised: 1203 + 4 + 2 = 1209 logits) and train it with
# the group-softmax loss on the seed's schedule (_base_/bags_stage2.py).
_base_ = ['../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py', '../_base_/bags_stage2.py']
baseline_checkpoint = 'work_dirs/faster-rcnn_r50_fpn_8xb2-1x_lvis-v1/epoch_12.pth'
load_from = baseline_checkpoint
train_ann = _base_.train_dataloader.dataset.data_root + _base_.train_dataloader.dataset.ann_file
model = dict(
    roi_head=dict(bbox_head=dict(loss_cls=dict(
        _base_.bags_loss, _delete_=True, num_classes=1203))),
    test_cfg=dict(rcnn=dict(score_thr=0.0, max_per_img=300)))
default_hooks = _base_.bags_check
optim_wrapper = _base_.bags_optim_wrapper
param_scheduler = _base_.bags_param_scheduler
custom_hooks = _base_.custom_hooks + [dict(type='SetClassStatsHook', class_stats=train_ann)]

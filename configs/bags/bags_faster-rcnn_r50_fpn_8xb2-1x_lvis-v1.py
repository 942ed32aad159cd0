# BAGS stage 2 (Faster R-CNN R50-FPN, LVIS v1): load the matching LVIS baseline,
# freeze everything but bbox_head.fc_cls (re-initialised: 1203 + 4 + 2 = 1209 logits) and train
# it with the group-softmax loss (instance-count groups <10 / <100 / <1000 / rest, beta 8).
_base_ = '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py'
baseline_checkpoint = 'work_dirs/faster-rcnn_r50_fpn_8xb2-1x_lvis-v1/epoch_12.pth'
load_from = baseline_checkpoint
train_ann = _base_.train_dataloader.dataset.data_root + _base_.train_dataloader.dataset.ann_file
model = dict(
    roi_head=dict(bbox_head=dict(loss_cls=dict(
        _delete_=True, type='BAGSLoss', num_classes=1203, ann_file=train_ann,
        bins=(10, 100, 1000), others_ratio=8.0))),
    test_cfg=dict(rcnn=dict(score_thr=0.0, max_per_img=300)))
custom_hooks = [dict(type='FreezeModulesHook', trainable=['roi_head.bbox_head.fc_cls'])]
default_hooks = dict(check_stage1=dict(  # stop if the stage-1 checkpoint does not fit
    type='Stage1CheckpointHook', allow_new=['roi_head.bbox_head.loss_cls'],
    allow_reinit=['roi_head.bbox_head.fc_cls']))
find_unused_parameters = True  # frozen parameters get no gradient under DDP
# Seed schedule (16 images per iteration): SGD lr 0.01, 12 epochs, steps 8 / 11,
# 500 linear warm-up iterations from 1/3, gradient clipping at 35.
optim_wrapper = dict(optimizer=dict(lr=0.01), clip_grad=dict(max_norm=35, norm_type=2))
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0 / 3, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=12, by_epoch=True, milestones=[8, 11], gamma=0.1)
]

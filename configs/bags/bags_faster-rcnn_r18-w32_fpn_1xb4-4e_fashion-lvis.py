# BAGS stage 2 on the embedded set: load the small Faster R-CNN baseline, freeze everything
# but bbox_head.fc_cls (re-initialised: the group layout is C + K + 2 = 16 logits wide) and
# train it with the group-softmax loss for 4 epochs. Groups come from the instance counts in
# the training annotation file.
_base_ = ['../baselines/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py',
          '../_base_/bags_stage2.py']
baseline_checkpoint = 'work_dirs/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis/epoch_12.pth'
load_from = baseline_checkpoint
train_ann = _base_.train_dataloader.dataset.data_root + _base_.train_dataloader.dataset.ann_file
model = dict(roi_head=dict(bbox_head=dict(loss_cls=dict(
    _base_.bags_loss, _delete_=True, num_classes=10))))
default_hooks = _base_.bags_check
max_epochs = 4
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=1.0 / 3, by_epoch=False, begin=0, end=100),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[3], gamma=0.1)
]
custom_hooks = _base_.custom_hooks + [dict(type='SetClassStatsHook', class_stats=train_ann)]

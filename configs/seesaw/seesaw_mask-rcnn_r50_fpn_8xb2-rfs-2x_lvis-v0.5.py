# Seesaw Loss on Mask R-CNN R50-FPN, LVIS v0.5: the LVIS v1 config on v0.5 data, 1230 classes.
_base_ = ['./seesaw_mask-rcnn_r50_fpn_8xb2-rfs-2x_lvis-v1.py',
          '../_base_/datasets/lvis-v0.5_switch.py']
model = dict(roi_head=dict(
    bbox_head=dict(num_classes=1230, loss_cls=dict(num_classes=1230)),
    mask_head=dict(num_classes=1230)))
train_dataloader = dict(dataset=_base_.lvis_v05_train)
val_dataloader = test_dataloader = dict(dataset=_base_.lvis_v05_val)
val_evaluator = test_evaluator = dict(ann_file=_base_.lvis_v05_val_ann)

# Seesaw Loss in the three Cascade R-CNN X101-64x4d-FPN stages, LVIS v0.5: the LVIS v1 config
# on v0.5 data, 1230 classes.
_base_ = ['./seesaw_cascade-rcnn_x101-64x4d_fpn_8xb2-rfs-2x_lvis-v1.py',
          '../_base_/datasets/lvis-v0.5_switch.py']
model = dict(roi_head=dict(bbox_head=[
    dict(h, num_classes=1230, loss_cls=dict(h['loss_cls'], num_classes=1230))
    for h in _base_.model.roi_head.bbox_head]))
train_dataloader = dict(dataset=_base_.lvis_v05_train)
val_dataloader = test_dataloader = dict(dataset=_base_.lvis_v05_val)
val_evaluator = test_evaluator = dict(ann_file=_base_.lvis_v05_val_ann)

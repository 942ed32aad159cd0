# Cascade R-CNN X101-64x4d-FPN baseline on LVIS v0.5: three box stages with 1230-class softmax
# CE, random sampling, 1x schedule on 8 GPUs x 2 images, up to 300 detections per image.
_base_ = [
    'mmdet::_base_/models/cascade-rcnn_r50_fpn.py', '../_base_/datasets/lvis-v0.5_detection.py',
    '../_base_/schedules/det_sgd-1x.py', '../_base_/default_runtime_det.py'
]
# Three cascade stages, regression stds as in mmdet's Cascade R-CNN, 1230-class softmax CE.
stage_stds = [[0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1], [0.033, 0.033, 0.067, 0.067]]
cascade_bbox_heads = [
    dict(type='Shared2FCBBoxHead', in_channels=256, fc_out_channels=1024, roi_feat_size=7,
         num_classes=1230, reg_class_agnostic=True,
         bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                         target_stds=stds),
         loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
         loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0))
    for stds in stage_stds
]
model = dict(
    backbone=dict(
        type='ResNeXt', depth=101, groups=64, base_width=4,
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnext101_64x4d')),
    roi_head=dict(bbox_head=cascade_bbox_heads),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))

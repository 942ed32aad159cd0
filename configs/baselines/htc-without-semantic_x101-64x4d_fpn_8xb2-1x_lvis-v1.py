# HTC X101-64x4d-FPN baseline on LVIS v1, without the semantic branch (LVIS has no stuff
# masks): Cascade Mask R-CNN turned into HTC (interleaved box/mask stages, mask information
# flow), 1203-class softmax CE in every stage, random sampling, 1x on 8 GPUs x 2 images.
_base_ = [
    'mmdet::_base_/models/cascade-mask-rcnn_r50_fpn.py',
    '../_base_/datasets/lvis-v1_instance.py', '../_base_/schedules/det_sgd-1x.py',
    '../_base_/default_runtime_det.py'
]
mask_head = dict(
    type='HTCMaskHead', num_convs=4, in_channels=256, conv_out_channels=256,
    num_classes=1203, loss_mask=dict(type='CrossEntropyLoss', use_mask=True, loss_weight=1.0))
# Three cascade stages, regression stds as in mmdet's Cascade R-CNN, 1203-class softmax CE.
stage_stds = [[0.1, 0.1, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1], [0.033, 0.033, 0.067, 0.067]]
cascade_bbox_heads = [
    dict(type='Shared2FCBBoxHead', in_channels=256, fc_out_channels=1024, roi_feat_size=7,
         num_classes=1203, reg_class_agnostic=True,
         bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                         target_stds=stds),
         loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
         loss_bbox=dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0))
    for stds in stage_stds
]
model = dict(
    type='HybridTaskCascade',
    backbone=dict(
        type='ResNeXt', depth=101, groups=64, base_width=4,
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnext101_64x4d')),
    roi_head=dict(
        type='HybridTaskCascadeRoIHead',
        interleaved=True,
        mask_info_flow=True,
        bbox_head=cascade_bbox_heads,
        mask_head=[dict(mask_head, with_conv_res=False), mask_head, mask_head]),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))

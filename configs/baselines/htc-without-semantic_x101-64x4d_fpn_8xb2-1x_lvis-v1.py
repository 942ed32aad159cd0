# HTC X101-64x4d-FPN baseline on LVIS v1, without the semantic branch (LVIS has no stuff
# masks): mmdet's Cascade Mask R-CNN turned into HTC as mmdet's htc-without-semantic config does
# (interleaved box/mask stages, mask information flow, HTC mask heads), 1203-class softmax CE in
# every stage, random sampling, 1x on 8 GPUs x 2 images, up to 300 detections per image.
_base_ = [
    'mmdet::_base_/models/cascade-mask-rcnn_r50_fpn.py',
    '../_base_/datasets/lvis-v1_instance.py', '../_base_/schedules/det_sgd-1x.py',
    '../_base_/default_runtime_det.py'
]
htc_mask_head = dict(
    type='HTCMaskHead', num_convs=4, in_channels=256, conv_out_channels=256,
    num_classes=1203, loss_mask=dict(type='CrossEntropyLoss', use_mask=True, loss_weight=1.0))
model = dict(
    type='HybridTaskCascade',
    backbone=dict(
        type='ResNeXt', depth=101, groups=64, base_width=4,
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnext101_64x4d')),
    roi_head=dict(
        type='HybridTaskCascadeRoIHead', interleaved=True, mask_info_flow=True,
        bbox_head=[dict(h, num_classes=1203) for h in _base_.model.roi_head.bbox_head],
        mask_head=[dict(htc_mask_head, with_conv_res=False), htc_mask_head, htc_mask_head]),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))

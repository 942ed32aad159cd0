# Cascade R-CNN X101-64x4d-FPN baseline on LVIS v1: mmdet's three box stages (its per-stage
# regression stds) with 1203-class softmax CE, random sampling, 1x schedule on 8 GPUs x 2
# images, up to 300 detections per image.
_base_ = [
    'mmdet::_base_/models/cascade-rcnn_r50_fpn.py', '../_base_/datasets/lvis-v1_detection.py',
    '../_base_/schedules/det_sgd-1x.py', '../_base_/default_runtime_det.py'
]
model = dict(
    backbone=dict(
        type='ResNeXt', depth=101, groups=64, base_width=4,
        init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnext101_64x4d')),
    roi_head=dict(bbox_head=[dict(h, num_classes=1203) for h in _base_.model.roi_head.bbox_head]),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))

# Mask R-CNN R50-FPN baseline on LVIS v1: softmax CE over 1203 classes, random sampling,
# 1x schedule on 8 GPUs x 2 images, up to 300 detections per image.
_base_ = [
    'mmdet::_base_/models/mask-rcnn_r50_fpn.py', '../_base_/datasets/lvis-v1_instance.py',
    '../_base_/schedules/det_sgd-1x.py', '../_base_/default_runtime_det.py'
]
model = dict(
    roi_head=dict(bbox_head=dict(num_classes=1203), mask_head=dict(num_classes=1203)),
    test_cfg=dict(rcnn=dict(score_thr=0.0001, max_per_img=300)))

# Baseline: small Mask R-CNN, softmax CE, random sampling, on the embedded long-tailed set.
_base_ = [
    '../_base_/models/mask-rcnn_r18-w32_fpn.py',
    '../_base_/datasets/fashion-lvis_instance.py',
    '../_base_/schedules/det_sgd-12e.py', '../_base_/default_runtime_det.py'
]

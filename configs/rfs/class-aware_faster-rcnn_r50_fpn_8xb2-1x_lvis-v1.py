# Class-aware sampling (mmdet ClassAwareSampler: a category uniformly, then an image containing
# it) for the Faster R-CNN R50-FPN LVIS v1 baseline.
_base_ = [
    '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py', '../_base_/samplers/class-aware_lvis.py'
]
train_dataloader = dict(sampler=dict(_delete_=True, **_base_.train_sampler))

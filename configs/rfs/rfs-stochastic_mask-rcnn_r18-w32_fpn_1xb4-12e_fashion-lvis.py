# RFS with stochastic rounding re-drawn every epoch (ltr_mm RepeatFactorSampler) on the
# embedded set: the small Mask R-CNN baseline, t = 0.1 (see README).
_base_ = [
    '../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py',
    '../_base_/samplers/rfs-stochastic_lvis.py'
]
train_dataloader = dict(sampler=dict(_base_.train_sampler, _delete_=True, repeat_thresh=0.1))

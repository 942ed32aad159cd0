# RFS (deterministic, ceil rounding) on the embedded set: the small Mask R-CNN baseline with
# its training set wrapped in mmengine's ClassBalancedDataset, t = 0.1 (t = 1e-3 repeats
# nothing on the 3000-image set; see README).
_base_ = '../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
train_dataloader = dict(dataset=dict(
    _delete_=True, type='ClassBalancedDataset', oversample_thr=0.1,
    dataset=_base_.train_dataloader.dataset))

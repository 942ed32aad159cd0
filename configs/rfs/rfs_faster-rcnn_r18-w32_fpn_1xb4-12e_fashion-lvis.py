# RFS (deterministic, ceil rounding) on the embedded set: the small Faster R-CNN baseline with
# its training set wrapped in mmengine's ClassBalancedDataset. t = 0.1 instead of LVIS's 1e-3:
# the rarest class of the 3000-image set is in 3 images (f = 1e-3), so t = 1e-3 repeats
# nothing; t = 0.1 repeats the coat / common / rare images 2 to 10 times (see README).
_base_ = '../baselines/faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
train_dataloader = dict(dataset=dict(
    _delete_=True, type='ClassBalancedDataset', oversample_thr=0.1,
    dataset=_base_.train_dataloader.dataset))

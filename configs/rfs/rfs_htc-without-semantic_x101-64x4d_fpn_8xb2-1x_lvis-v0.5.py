# RFS (LVIS repeat-factor sampling, t = 1e-3, ceil rounding) for the HTC (without semantic
# branch) X101-64x4d-FPN LVIS v0.5 baseline: mmengine ClassBalancedDataset repeats image I
# ceil(r(I)) times per epoch.
_base_ = '../baselines/htc-without-semantic_x101-64x4d_fpn_8xb2-1x_lvis-v0.5.py'
train_dataloader = dict(dataset=dict(
    _delete_=True, type='ClassBalancedDataset', oversample_thr=1e-3,
    dataset=_base_.train_dataloader.dataset))

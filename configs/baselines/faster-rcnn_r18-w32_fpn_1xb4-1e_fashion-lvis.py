# Short twin of the 12-epoch small Faster R-CNN for CPUs (the demo detector): 1 epoch
# (750 iterations), 100 warm-up iterations, then a cosine decay over the rest of the epoch.
_base_ = './faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
max_epochs = 1
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=100),
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=2e-4, by_epoch=True, begin=0,
         end=max_epochs, convert_to_iter_based=True)
]

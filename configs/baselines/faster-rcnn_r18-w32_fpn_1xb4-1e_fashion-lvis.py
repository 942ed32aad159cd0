# Short twin of the 12-epoch small Faster R-CNN for CPUs (the demo detector): 2 epochs,
# 200 warm-up iterations, then a cosine decay over the iterations of both epochs.
_base_ = './faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
max_epochs = 2
train_cfg = dict(max_epochs=max_epochs, val_interval=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0, end=200),
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=2e-4, by_epoch=True, begin=0,
         end=max_epochs, convert_to_iter_based=True)
]

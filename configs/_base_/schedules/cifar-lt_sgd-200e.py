# The CIFAR-LT recipe of the LDAM / long-tail literature: SGD lr 0.1, momentum 0.9, weight decay
# 2e-4, batch 128, 5 linear warm-up epochs, lr x0.01 at epochs 160 and 180, 200 epochs.
max_epochs = 200
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=2e-4, nesterov=False))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=max_epochs, milestones=[160, 180],
         gamma=0.01)
]
# ltr_mm's drop-in EpochBasedTrainLoop whose --resume continues exactly inside an epoch
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=128)

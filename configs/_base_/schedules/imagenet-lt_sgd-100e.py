# The ImageNet-LT / iNat18 recipe of RIDE: SGD lr 0.1 (batch 256), momentum 0.9, Nesterov,
# weight decay 2e-4, 5 linear warm-up epochs, lr x0.1 at epochs 60 and 80, 100 epochs.
# Re-weighting methods on this schedule switch on after epoch 80 (1-based epoch > 80).
max_epochs = 100
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=2e-4, nesterov=True))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=max_epochs, milestones=[60, 80],
         gamma=0.1)
]
# ltr_mm's drop-in EpochBasedTrainLoop whose --resume continues exactly inside an epoch
train_cfg = dict(type='ResumableEpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict()
test_cfg = dict()
auto_scale_lr = dict(base_batch_size=256)

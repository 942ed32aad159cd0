# CIFAR-10-LT (Cao et al. / LDAM profile, ltr_mm CIFAR10LT): class i keeps
# floor(5000 * (1 / imb_factor) ** (i / 9)) training images of a seed-0 permutation (IF100:
# 12,406 images, 5000 .. 50); test = the untouched balanced 10,000-image test split. Needs the
# CIFAR-10 python pickles in data/cifar10/cifar-10-batches-py/ (never downloaded).
# Train: random crop 32 with padding 4, horizontal flip; normalisation of methods.md 1.1.
# ShotAccuracy gets the training counts from SetClassStatsHook, which counts the training set
# (so a child changing `imb_factor` changes them too); configs that set their own custom_hooks
# keep the hook in their list.
dataset_type = 'CIFAR10LT'
data_root = 'data/cifar10/'
num_classes = 10
imb_factor = 100
data_preprocessor = dict(
    num_classes=num_classes, mean=[125.307, 122.961, 113.8575],
    std=[51.5865, 50.847, 51.255], to_rgb=False)

train_pipeline = [
    dict(type='RandomCrop', crop_size=32, padding=4),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(type=dataset_type, data_root=data_root, split='train',
                 imb_factor=imb_factor, seed=0, pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=256,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(type=dataset_type, data_root=data_root, split='test', test_mode=True,
                 pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='ShotAccuracy', num_classes=num_classes)
test_dataloader = val_dataloader
test_evaluator = val_evaluator
custom_hooks = [dict(type='SetClassStatsHook')]

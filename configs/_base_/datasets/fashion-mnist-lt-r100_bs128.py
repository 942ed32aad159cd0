# Fashion-MNIST-LT, imbalance factor 100 (12,406 training images, 5000 .. 50 per class), built
# by tools/dataset_converters/make_fashion_lt.py; balanced 10,000-image test split.
# 28x28 grey images are read as 3 channels; train: pad to 32 plus 4 more and random-crop 32
# (one RandomCrop with padding 6), horizontal flip; test: pad to 32.
dataset_type = 'CustomDataset'
data_root = 'data/fashion_mnist_lt/'
classes = ('t-shirt_top', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt',
           'sneaker', 'bag', 'ankle_boot')
data_preprocessor = dict(
    num_classes=10, mean=[72.94, 72.94, 72.94], std=[90.02, 90.02, 90.02], to_rgb=False)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', crop_size=32, padding=6),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', crop_size=32, padding=2),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='meta/train.txt',
                 data_prefix='', classes=classes, pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True),
)
val_dataloader = dict(
    batch_size=256,
    num_workers=2,
    persistent_workers=True,
    dataset=dict(type=dataset_type, data_root=data_root, ann_file='meta/test.txt',
                 data_prefix='', classes=classes, test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='ShotAccuracy')
test_dataloader = val_dataloader
test_evaluator = val_evaluator
# the training counts of ShotAccuracy (and of any count-based model part), from the train list
custom_hooks = [dict(type='SetClassStatsHook')]

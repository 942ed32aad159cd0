# ImageNet-LT (Liu et al., OLTR 2019; ltr_mm ImageNetLT): 1000 classes, 115,846 training images
# (1280 .. 5 per class) listed in ImageNet_LT_train.txt; val = ImageNet_LT_val.txt (20 per
# class, for model selection), test = ImageNet_LT_test.txt (50 per class, the ILSVRC-2012 val
# set). data_root holds the three lists and the ILSVRC train/ and val/ folders (never
# downloaded). Train: RandomResizedCrop 224, horizontal flip, ColorJitter(0.4, 0.4, 0.4);
# test: short edge 256, centre crop 224 (the RIDE / TDE augmentation). ShotAccuracy gets the
# training images per class from SetClassStatsHook, which counts the train list (many > 100,
# few < 20).
dataset_type = 'ImageNetLT'
data_root = 'data/imagenet_lt/'
num_classes = 1000
data_preprocessor = dict(num_classes=num_classes, mean=[123.675, 116.28, 103.53],
                         std=[58.395, 57.12, 57.375], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='ColorJitter', brightness=0.4, contrast=0.4, saturation=0.4),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=32, num_workers=8, persistent_workers=True,
    dataset=dict(type=dataset_type, data_root=data_root, split='train',
                 pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=64, num_workers=8, persistent_workers=True,
    dataset=dict(type=dataset_type, data_root=data_root, split='val', pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = dict(
    batch_size=64, num_workers=8, persistent_workers=True,
    dataset=dict(type=dataset_type, data_root=data_root, split='test', pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='ShotAccuracy', num_classes=num_classes)
test_evaluator = val_evaluator
custom_hooks = [dict(type='SetClassStatsHook')]

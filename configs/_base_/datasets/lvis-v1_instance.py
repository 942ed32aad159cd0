# LVIS v1 instance segmentation on mmdet's dataset base, with plain random sampling (the
# baseline; RFS configs wrap the dataset again) and ltr_mm's exact, fast LVIS evaluator.
_base_ = 'mmdet::_base_/datasets/lvis_v1_instance.py'
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CheckedLVISV1Dataset',
        data_root='data/lvis_v1/',
        ann_file='annotations/lvis_v1_train.json',
        data_prefix=dict(img=''),
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        pipeline={{_base_.train_pipeline}}))
# ltr_mm's checked dataset (bad-input checks, one-pass loader) for validation / test too.
val_dataloader = dict(dataset=dict(type='CheckedLVISV1Dataset'))
test_dataloader = val_dataloader
val_evaluator = dict(
    _delete_=True,
    type='FastLVISMetric',
    ann_file='data/lvis_v1/annotations/lvis_v1_val.json',
    metric=['bbox', 'segm'])
test_evaluator = val_evaluator

# LVIS v0.5 for a config that inherits its LVIS v1 twin (lvis-v1_instance.py / _detection.py):
# the fields that differ (ltr_mm's checked v0.5 dataset, root, annotation files, COCO 2017 image
# folders); everything else (pipelines, loaders, FastLVISMetric and its metrics) stays the v1
# config's. mmengine forbids the same key in two bases, so this fragment defines `lvis_v05_*`
# values; after listing it in _base_ (after the v1 config) a config writes
#   train_dataloader = dict(dataset=_base_.lvis_v05_train)
#   val_dataloader = test_dataloader = dict(dataset=_base_.lvis_v05_val)
#   val_evaluator = test_evaluator = dict(ann_file=_base_.lvis_v05_val_ann)
# and sets its heads to the 1230 v0.5 classes.
lvis_v05_root = 'data/lvis_v0.5/'
lvis_v05_train = dict(type='CheckedLVISV05Dataset', data_root=lvis_v05_root,
                      ann_file='annotations/lvis_v0.5_train.json',
                      data_prefix=dict(img='train2017/'))
lvis_v05_val = dict(type='CheckedLVISV05Dataset', data_root=lvis_v05_root,
                    ann_file='annotations/lvis_v0.5_val.json', data_prefix=dict(img='val2017/'))
lvis_v05_train_ann = lvis_v05_root + lvis_v05_train['ann_file']
lvis_v05_val_ann = lvis_v05_root + lvis_v05_val['ann_file']

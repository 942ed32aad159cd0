# mmdet's 1x schedule (SGD lr 0.02, 12 epochs, steps at 8 and 11) trained with ltr_mm's drop-in
# EpochBasedTrainLoop, whose --resume continues exactly inside an epoch.
_base_ = 'mmdet::_base_/schedules/schedule_1x.py'
train_cfg = dict(type='ResumableEpochBasedTrainLoop')

# TDE on CIFAR-100-LT IF100 (Cao profile, ltr_mm CIFAR100LT): LDAM ResNet-32 (64-d feature) +
# causal-norm TDE head, K=2, tau=16, gamma=1/32, fixed mu=0.9, alpha=1.5. The paper's schedule:
# wd 5e-4, 5-epoch warm-up from lr/3, lr x0.01 at epochs 120 and 160, 200 epochs; lr 0.2 at
# batch 256 becomes 0.1 at batch 128. The paper's backbone is BBN's ResNet-32 (128-d): see README.
_base_ = ['../_base_/schedules/cifar-lt_sgd-200e.py', '../_base_/default_runtime_cls.py']
data_root = 'data/cifar100/'
data_preprocessor = dict(num_classes=100, mean=[129.304, 124.070, 112.434],
                         std=[68.170, 65.392, 70.418], to_rgb=False)
train_pipeline = [dict(type='RandomCrop', crop_size=32, padding=4),
                  dict(type='RandomFlip', prob=0.5, direction='horizontal'),
                  dict(type='PackInputs')]
test_pipeline = [dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=128, num_workers=2, sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='CIFAR100LT', data_root=data_root, split='train', imb_factor=100,
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=256, num_workers=2, sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='CIFAR100LT', data_root=data_root, split='test', pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNetCifarLDAM', depth=32),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='TDEClsHead', num_classes=100, in_channels=64, num_heads=2, tau=16.0,
              gamma=1 / 32, mu=0.9, test_cfg=dict(alpha=1.5),
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
optim_wrapper = dict(optimizer=dict(lr=0.1, weight_decay=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=1 / 3, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=200, milestones=[120, 160], gamma=0.01)
]

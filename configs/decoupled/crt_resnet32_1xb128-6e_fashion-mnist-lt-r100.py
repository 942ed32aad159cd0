# Short CPU twin of cRT: classifier re-training on the 6-epoch CE twin (the demo classifier),
# 6 epochs with 1 warm-up epoch and lr x0.1 at epochs 2 and 4 (10 and 20 of 30, scaled).
_base_ = './crt_resnet32_1xb128-30e_fashion-mnist-lt-r100.py'
stage1_checkpoint = 'work_dirs/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100/epoch_6.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=stage1_checkpoint)))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.2, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='MultiStepLR', by_epoch=True, begin=0, end=6, milestones=[2, 4], gamma=0.1)
]
train_cfg = dict(max_epochs=6, val_interval=6)

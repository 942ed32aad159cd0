# RIDE stage 2 (expert assignment) on iNaturalist 2018, ResNet-50: routers with top-50 logits
# on the frozen stage-1 model, class-balanced sampling, batch 512 on 1 GPU, SGD Nesterov
# lr 0.01, wd 5e-4, cosine over 5 epochs.
_base_ = './ride-3e_resnet50_8xb64-100e_inat18.py'
load_from = 'work_dirs/ride-3e_resnet50_8xb64-100e_inat18/epoch_100.pth'
default_hooks = dict(check_stage1=dict(  # stop if the stage-1 checkpoint does not fit
    type='Stage1CheckpointHook', allow_new=['router']))
model = dict(
    router=dict(type='RIDERouter', in_channels=1536, num_classes=8142, num_experts=3,
                top_k=50, hidden_channels=16, share_fc=True, pos_weight=100.0),
    test_cfg=dict(dynamic=True, threshold=0.5))
train_dataloader = dict(batch_size=512,
                        sampler=dict(_delete_=True, type='ClassBalancedSampler'))
optim_wrapper = dict(optimizer=dict(lr=0.01, weight_decay=5e-4))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=5, eta_min=0.0,
                        by_epoch=True, begin=0, end=5)]
train_cfg = dict(max_epochs=5, val_interval=1)
auto_scale_lr = dict(base_batch_size=512)
# the accuracy metric of the base plus the share of samples that used k experts
val_evaluator = [_base_.val_evaluator, dict(type='ExpertShareMetric', num_experts=3)]
test_evaluator = val_evaluator

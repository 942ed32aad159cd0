# Short expert-assignment twin: routers (top-10 = all logits) on the frozen 6-epoch RIDE model,
# class-balanced sampling, SGD Nesterov lr 0.01, cosine over 2 epochs; testing reports
# ride/expert_share_k (ExpertShareMetric).
_base_ = './ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
load_from = 'work_dirs/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100/epoch_6.pth'
default_hooks = dict(check_stage1=dict(  # stop if the stage-1 checkpoint does not fit
    type='Stage1CheckpointHook', allow_new=['router']))
model = dict(
    router=dict(type='RIDERouter', in_channels=48, num_classes=10, num_experts=3, top_k=30,
                pos_weight=100.0),
    test_cfg=dict(dynamic=True, threshold=0.5))
train_dataloader = dict(sampler=dict(_delete_=True, type='ClassBalancedSampler'))
optim_wrapper = dict(optimizer=dict(lr=0.01))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=2, eta_min=0.0,
                        by_epoch=True, begin=0, end=2)]
train_cfg = dict(max_epochs=2, val_interval=2)
# the accuracy metric of the base plus the share of samples that used k experts
val_evaluator = [_base_.val_evaluator, dict(type='ExpertShareMetric', num_experts=3)]
test_evaluator = val_evaluator

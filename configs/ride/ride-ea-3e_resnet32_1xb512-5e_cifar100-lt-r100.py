# RIDE stage 2 (expert assignment) on CIFAR-100-LT IF100: routers (top-30 logits + pooled
# expert feature, shared final FC, BCE pos_weight 100) on the frozen 3-expert stage-1 model;
# class-balanced sampling, batch 512, SGD Nesterov lr 0.01, wd 5e-4, cosine over 5 epochs.
# Testing runs dynamic inference and reports ride/expert_share_k (ExpertShareMetric); feed
# them to tools/analysis_tools/get_flops.py --ea-share.
_base_ = './ride-3e_resnet32_1xb128-200e_cifar100-lt-r100.py'
load_from = 'work_dirs/ride-3e_resnet32_1xb128-200e_cifar100-lt-r100/epoch_200.pth'
default_hooks = dict(check_stage1=dict(  # stop if the stage-1 checkpoint does not fit
    type='Stage1CheckpointHook', allow_new=['router']))
model = dict(
    router=dict(type='RIDERouter', in_channels=48, num_classes=100, num_experts=3, top_k=30,
                hidden_channels=16, share_fc=True, pos_weight=100.0),
    test_cfg=dict(dynamic=True, threshold=0.5))
train_dataloader = dict(batch_size=512, sampler=dict(_delete_=True, type='ClassBalancedSampler'))
optim_wrapper = dict(optimizer=dict(lr=0.01, momentum=0.9, weight_decay=5e-4, nesterov=True))
param_scheduler = [dict(type='CosineAnnealingLR', T_max=5, eta_min=0.0,
                        by_epoch=True, begin=0, end=5)]
train_cfg = dict(max_epochs=5, val_interval=1)
# the accuracy metric of the base plus the share of samples that used k experts
val_evaluator = [_base_.val_evaluator, dict(type='ExpertShareMetric', num_experts=3)]
test_evaluator = val_evaluator

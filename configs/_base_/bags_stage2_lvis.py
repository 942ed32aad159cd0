# Shared by the BAGS stage-2 LVIS configs, which list this file after their baseline and take
# the `bags_*` values they need: the loss settings (instance-count groups <10 / <100 / <1000 /
# rest, beta 8), what stage 2 trains (fc_cls only; every stage's in Cascade / HTC), the
# stage-1 checkpoint check (stop if the baseline checkpoint does not fit; only fc_cls and the
# loss's count buffer may differ) and the seed's schedule (16 images per iteration: 12 epochs,
# steps 8 / 11, 500 linear warm-up iterations from 1/3, gradient clipping at 35).
bags_loss_cfg = dict(type='BAGSLoss', bins=(10, 100, 1000), others_ratio=8.0)
bags_one_head_hooks = [dict(type='FreezeModulesHook', trainable=['roi_head.bbox_head.fc_cls'])]
bags_one_head_check = dict(check_stage1=dict(
    type='Stage1CheckpointHook', allow_new=['roi_head.bbox_head.loss_cls'],
    allow_reinit=['roi_head.bbox_head.fc_cls']))
bags_cascade_hooks = [dict(type='FreezeModulesHook', trainable=['roi_head.bbox_head.*.fc_cls'])]
bags_cascade_check = dict(check_stage1=dict(
    type='Stage1CheckpointHook', allow_new=['roi_head.bbox_head.*.loss_cls'],
    allow_reinit=['roi_head.bbox_head.*.fc_cls']))
bags_clip_grad = dict(max_norm=35, norm_type=2)
bags_param_scheduler = [
    dict(type='LinearLR', start_factor=1.0 / 3, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=12, by_epoch=True, milestones=[8, 11], gamma=0.1)
]

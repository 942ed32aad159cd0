# BAGS stage 2 on a trained detector whose box head has one classifier (Faster / Mask R-CNN):
# only bbox_head.fc_cls trains (re-initialised to the group layout), everything else is frozen.
# Listed in _base_ after the stage-1 baseline, this fragment sets `custom_hooks` and
# `find_unused_parameters`. mmengine forbids the same key in two bases, so for the keys the
# baseline already has it defines values a config assigns:
#   bags_loss: the group-softmax loss, instance-count groups <10 / <100 / <1000 / rest, beta 8
#     (the config adds num_classes and where the counts come from);
#   bags_check: default_hooks entry that stops the run if the stage-1 checkpoint does not fit
#     (only fc_cls and the loss's count buffer may differ);
#   bags_optim_wrapper / bags_param_scheduler: the seed's LVIS schedule for 16 images per
#     iteration (lr 0.01, gradient clipping at 35; 12 epochs, steps 8 / 11, 500 linear warm-up
#     iterations from 1/3).
custom_hooks = [dict(type='FreezeModulesHook', trainable=['roi_head.bbox_head.fc_cls'])]
find_unused_parameters = True  # frozen parameters get no gradient under DDP
bags_loss = dict(type='BAGSLoss', bins=(10, 100, 1000), others_ratio=8.0)
bags_check = dict(check_stage1=dict(
    type='Stage1CheckpointHook', allow_new=['roi_head.bbox_head.loss_cls'],
    allow_reinit=['roi_head.bbox_head.fc_cls']))
bags_optim_wrapper = dict(optimizer=dict(lr=0.01), clip_grad=dict(max_norm=35, norm_type=2))
bags_param_scheduler = [
    dict(type='LinearLR', start_factor=1.0 / 3, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=12, by_epoch=True, milestones=[8, 11], gamma=0.1)
]

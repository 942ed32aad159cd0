# BAGS stage 2 on a three-stage Cascade R-CNN / HTC: bags_stage2.py with the fc_cls of every box
# stage trainable and allowed to differ from the stage-1 checkpoint. A config puts `bags_loss`
# into each stage:
#   bbox_head=[dict(h, loss_cls=...) for h in _base_.model.roi_head.bbox_head]
_base_ = './bags_stage2.py'
custom_hooks = [dict(type='FreezeModulesHook', trainable=['roi_head.bbox_head.*.fc_cls'])]
bags_check = dict(check_stage1=dict(
    type='Stage1CheckpointHook', allow_new=['roi_head.bbox_head.*.loss_cls'],
    allow_reinit=['roi_head.bbox_head.*.fc_cls']))

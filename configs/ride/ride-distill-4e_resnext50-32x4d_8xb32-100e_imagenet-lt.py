# RIDE stage 1 with distillation on ImageNet-LT, ResNeXt-50: 4 experts learn from the trained
# 6-expert model (frozen, eval mode), T_d = 1.5, factor 1.0, counted once per batch.
# Train the teacher first with ride-6e_resnext50-32x4d_8xb32-100e_imagenet-lt.py.
_base_ = './ride-3e_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
teacher_config = 'configs/ride/ride-6e_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
teacher_checkpoint = 'work_dirs/ride-6e_resnext50-32x4d_8xb32-100e_imagenet-lt/epoch_100.pth'
model = dict(
    backbone=dict(num_experts=4),
    head=dict(num_experts=4),
    teacher=dict(config=teacher_config, checkpoint=teacher_checkpoint),
    distill_loss=dict(type='RIDEDistillLoss', temperature=1.5, loss_weight=1.0))

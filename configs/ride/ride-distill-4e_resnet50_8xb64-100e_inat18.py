# RIDE stage 1 with distillation on iNaturalist 2018, ResNet-50: 4 experts learn from the
# trained 6-expert model (frozen, eval mode), T_d = 1.5, factor 1.0, counted once per batch.
# Train the teacher first with ride-6e_resnet50_8xb64-100e_inat18.py.
_base_ = './ride-3e_resnet50_8xb64-100e_inat18.py'
teacher_config = 'configs/ride/ride-6e_resnet50_8xb64-100e_inat18.py'
teacher_checkpoint = 'work_dirs/ride-6e_resnet50_8xb64-100e_inat18/epoch_100.pth'
model = dict(
    backbone=dict(num_experts=4),
    head=dict(num_experts=4),
    teacher=dict(config=teacher_config, checkpoint=teacher_checkpoint),
    distill_loss=dict(type='RIDEDistillLoss', temperature=1.5, loss_weight=1.0))

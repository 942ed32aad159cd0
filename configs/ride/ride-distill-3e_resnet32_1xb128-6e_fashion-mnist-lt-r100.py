# Short distillation twin: 3 experts learn from a trained 6-epoch RIDE model (frozen, eval mode),
# T_d = 1.5, counted once per batch. Set teacher_checkpoint to the teacher's checkpoint.
_base_ = './ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
teacher_checkpoint = 'work_dirs/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100/epoch_6.pth'
model = dict(
    teacher=dict(config='configs/ride/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
                 checkpoint=teacher_checkpoint),
    distill_loss=dict(type='RIDEDistillLoss', temperature=1.5, loss_weight=1.0))

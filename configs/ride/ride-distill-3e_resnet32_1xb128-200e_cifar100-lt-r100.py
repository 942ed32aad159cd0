# RIDE stage 1 with distillation on CIFAR-100-LT IF100: 3 experts learn from the trained
# 6-expert model (frozen, eval mode), T_d = 1.5, factor 1.0, counted once per batch.
# Train the teacher first with ride-6e_resnet32_1xb128-200e_cifar100-lt-r100.py.
_base_ = './ride-3e_resnet32_1xb128-200e_cifar100-lt-r100.py'
teacher_config = 'configs/ride/ride-6e_resnet32_1xb128-200e_cifar100-lt-r100.py'
teacher_checkpoint = 'work_dirs/ride-6e_resnet32_1xb128-200e_cifar100-lt-r100/epoch_200.pth'
model = dict(
    teacher=dict(config=teacher_config, checkpoint=teacher_checkpoint),
    distill_loss=dict(type='RIDEDistillLoss', temperature=1.5, loss_weight=1.0))

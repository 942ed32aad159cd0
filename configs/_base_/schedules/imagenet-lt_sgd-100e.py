# The ImageNet-LT / iNat18 recipe of RIDE: the CIFAR-LT recipe (SGD lr 0.1, momentum 0.9,
# weight decay 2e-4, 5 linear warm-up epochs) with Nesterov momentum, lr 0.1 for batch 256 and
# lr x0.1 at epochs 60 and 80, 100 epochs.
# Re-weighting methods on this schedule switch on after epoch 80 (1-based epoch > 80).
_base_ = './cifar-lt_sgd-200e.py'
max_epochs = 100
optim_wrapper = dict(optimizer=dict(nesterov=True))
param_scheduler = [
    _base_.param_scheduler[0],
    dict(_base_.param_scheduler[1], end=max_epochs, milestones=[60, 80], gamma=0.1)
]
train_cfg = dict(max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=256)

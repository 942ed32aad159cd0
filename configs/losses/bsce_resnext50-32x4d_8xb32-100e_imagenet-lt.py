# Balanced Softmax CE (BSCE): CE on z_c + log n_c during training, plain logits at test;
# the class counts come from the training list (SetClassStatsHook).
# ImageNet-LT, ResNeXt-50 32x4d; the CE baseline's schedule and data.
_base_ = '../baselines/ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(head=dict(loss=dict(type='BalancedSoftmaxLoss')))
custom_hooks = [dict(type='SetClassStatsHook')]

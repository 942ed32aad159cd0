# Short CPU twin of Balanced Softmax CE on the 6-epoch CE baseline schedule.
_base_ = '../baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
model = dict(head=dict(loss=dict(type='BalancedSoftmaxLoss')))
custom_hooks = [dict(type='SetClassStatsHook')]

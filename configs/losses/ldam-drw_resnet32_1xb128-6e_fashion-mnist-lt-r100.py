# Short CPU twin of LDAM-DRW on the 6-epoch CE baseline schedule: cosine classifier, LDAM
# margins (max_m 0.5, s 30), class-balanced DRW weights from epoch 5 on (160 of 200 scaled to
# the twin's first lr step at epoch 4).
_base_ = '../baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
model = dict(
    head=dict(type='LTLinearClsHead', cosine=True, scale=1.0,
              loss=dict(type='LDAMLoss', max_m=0.5, scale=30.0, beta=0.9999, drw_epoch=4)))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

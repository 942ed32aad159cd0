# LDAM-DRW: cosine classifier (logits in [-1, 1]), LDAM margins max_m 0.5 with scale 30
# applied by the loss, class-balanced weights (beta 0.9999) from epoch 81 on (DRW, 1-based
# epoch > 80, the re-weight epoch of RIDE's ImageNet-LT / iNat18 recipe).
# ImageNet-LT, ResNeXt-50 32x4d; the CE baseline's schedule and data.
_base_ = '../baselines/ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(
    head=dict(type='LTLinearClsHead', cosine=True, scale=1.0,
              loss=dict(type='LDAMLoss', max_m=0.5, scale=30.0, beta=0.9999, drw_epoch=80)))
custom_hooks = [dict(type='SetEpochHook'), dict(type='SetClassStatsHook')]

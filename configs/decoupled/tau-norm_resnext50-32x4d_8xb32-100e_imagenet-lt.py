# tau-norm (Decoupling) on the CE ResNeXt-50 baseline of ImageNet-LT, test time only: the
# stage-1 classifier weights are divided by ||w_c|| ** tau at prediction and the bias is
# dropped, as Decoupling and RIDE do; tau 0.6968 is the ImageNet-LT value of RIDE's tau-norm
# script. tau is a test-time knob: choose it on the val list (test_dataloader.dataset.split=val)
#   python tools/test.py <this config> <stage-1 checkpoint> \
#       --cfg-options model.head.test_cfg.tau_norm=0.5
_base_ = '../baselines/ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
load_from = 'work_dirs/ce_resnext50-32x4d_8xb32-100e_imagenet-lt/epoch_100.pth'  # stage 1
model = dict(
    head=dict(type='LTLinearClsHead', test_cfg=dict(tau_norm=0.6968, keep_bias=False)))

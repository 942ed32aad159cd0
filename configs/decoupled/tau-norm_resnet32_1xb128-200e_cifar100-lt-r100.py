# tau-norm (Decoupling) on the CE ResNet-32 baseline of CIFAR-100-LT IF100, test time only:
# no training, the stage-1 classifier weights are divided by ||w_c|| ** tau_norm at prediction,
# tau 1 with the bias kept (BagofTricks-LT; keep_bias=False drops it, as Decoupling). Sweep:
#   python tools/test.py <this config> <stage-1 checkpoint> \
#       --cfg-options model.head.test_cfg.tau_norm=0.5
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
load_from = 'work_dirs/ce_resnet32_1xb128-200e_cifar100-lt-r100/epoch_200.pth'  # stage 1
model = dict(head=dict(type='LTLinearClsHead', test_cfg=dict(tau_norm=1.0, keep_bias=True)))

# tau-norm (Decoupling) on the CE ResNet-32 baseline, test time only: no training, the stage-1
# classifier weights are divided by ||w_c|| ** tau_norm at prediction (bias kept, as
# BagofTricks-LT; keep_bias=False drops it, as Decoupling). Choose tau on a validation split
# (configs/decoupled/README.md), then test with it:
#   python tools/analysis_tools/knob_sweep.py <this config> <stage-1 checkpoint> \
#       --knob tau_norm --ann-file meta/val.txt
#   python tools/test.py <this config> <stage-1 checkpoint> \
#       --cfg-options model.head.test_cfg.tau_norm=T model.head.test_cfg.keep_bias=B
_base_ = '../baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
load_from = 'work_dirs/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100/epoch_200.pth'  # stage 1
model = dict(
    head=dict(
        type='LTLinearClsHead',
        test_cfg=dict(tau_norm=1.0, keep_bias=True, logit_adjust=0.0)))
# logit_adjust gets the training counts from the SetClassStatsHook of the dataset base

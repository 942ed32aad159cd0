# Post-hoc logit adjustment (Menon et al., tau 1): plain CE training, test logits
# z_c - log pi_c with pi the training prior (SetClassStatsHook pushes the counts). The loss form
# with tau 1 is BSCE (bsce_*). Sweep tau without retraining: --cfg-options
# model.head.test_cfg.logit_adjust=0.5
# ResNet-32, 200-epoch CIFAR-LT recipe, CIFAR-10-LT IF100.
_base_ = '../baselines/ce_resnet32_1xb128-200e_cifar10-lt-r100.py'
model = dict(head=dict(type='LTLinearClsHead', test_cfg=dict(logit_adjust=1.0)))
custom_hooks = [dict(type='SetClassStatsHook')]

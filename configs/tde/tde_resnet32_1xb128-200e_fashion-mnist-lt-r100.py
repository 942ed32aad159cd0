# Small TDE twin on Fashion-MNIST-LT IF100: the CE baseline's ResNet-32 (64-d feature) with the
# causal-norm TDE head; the CIFAR-LT TDE values K=2, tau=16, gamma=1/32, fixed mu=0.9 and the
# CIFAR-10-LT alpha=1.0 (10 classes).
_base_ = '../baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
model = dict(
    head=dict(_delete_=True, type='TDEClsHead', num_classes=10, in_channels=64, num_heads=2,
              tau=16.0, gamma=1 / 32, mu=0.9, test_cfg=dict(alpha=1.0),
              loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))

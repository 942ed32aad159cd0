# RIDE stage 1 on ImageNet-LT with the Decoupling ResNet-10 (BasicBlock [1, 1, 1, 1], reduced
# layer3/4 -> 384-d features), batch 256 on 4 GPUs.
_base_ = './ride-3e_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(backbone=dict(depth=10, groups=1), head=dict(in_channels=384))
train_dataloader = dict(batch_size=64)

# CE baseline on ImageNet-LT with the ResNet-10 of the long-tail literature (LTResNet,
# BasicBlock [1, 1, 1, 1], 512-d), batch 256 on 4 GPUs; otherwise as the ResNeXt-50 config.
_base_ = './ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
model = dict(backbone=dict(_delete_=True, type='LTResNet', depth=10, out_indices=(3, )),
             head=dict(in_channels=512))
train_dataloader = dict(batch_size=64)

# RIDE with 6 experts on iNaturalist 2018, ResNet-50: the distillation teacher of the model zoo
# (72.9% top-1 without expert assignment).
_base_ = './ride-3e_resnet50_8xb64-100e_inat18.py'
model = dict(backbone=dict(num_experts=6), head=dict(num_experts=6))

# TDE on iNaturalist 2018 (ltr_mm INat18 lists under data/inat18/, 8,142 classes), ResNet-50:
# the ImageNet-LT recipe (K=2, tau=16, gamma=1/32, adaptive mu, 90 epochs cosine, batch 512,
# lr 0.2, wd 5e-4) and its test-time alpha=3.0 (TDE publishes no iNat18 setting; alpha is a
# test-time knob, re-choose it on the val list). The val list is the test set.
_base_ = './tde_resnet50_8xb64-coslr-90e_imagenet-lt.py'
num_classes = 8142
data_root = 'data/inat18/'
model = dict(head=dict(num_classes=num_classes))
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(dataset=dict(type='INat18', data_root=data_root))
val_dataloader = dict(dataset=dict(type='INat18', data_root=data_root, split='val'))
test_dataloader = val_dataloader
val_evaluator = dict(num_classes=num_classes)
test_evaluator = val_evaluator

# CE baseline on iNaturalist 2018 (ltr_mm INat18 lists under data/inat18/, 8,142 classes,
# 437,513 training images): ResNet-50, RIDE's iNat18 schedule (batch 512 = 8 x 64, SGD Nesterov
# lr 0.2, wd 2e-4, x0.1 at 60 and 80, 100 epochs); the 24,426-image val list is the test set.
_base_ = './ce_resnet50_8xb32-100e_imagenet-lt.py'
num_classes = 8142
data_root = 'data/inat18/'
model = dict(head=dict(num_classes=num_classes))
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(batch_size=64, dataset=dict(type='INat18', data_root=data_root))
val_dataloader = dict(dataset=dict(type='INat18', data_root=data_root, split='val'))
test_dataloader = val_dataloader
val_evaluator = dict(num_classes=num_classes)
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(lr=0.2))
auto_scale_lr = dict(base_batch_size=512)

# RIDE stage 1 on iNaturalist 2018: ResNet-50 with 3 reduced experts, batch 512 (8 x 64),
# SGD Nesterov lr 0.2, wd 2e-4, reweight factor 0.015; tested on the 24,426-image val list.
# Data: INat18 split lists under data/inat18/ (iNaturalist18_{train,val}.txt).
_base_ = './ride-3e_resnet50_8xb32-100e_imagenet-lt.py'
num_classes = 8142
data_root = 'data/inat18/'
model = dict(head=dict(num_classes=num_classes, loss=dict(reweight_factor=0.015)))
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(batch_size=64, dataset=dict(type='INat18', data_root=data_root))
val_dataloader = dict(dataset=dict(type='INat18', data_root=data_root, split='val'))
test_dataloader = val_dataloader
val_evaluator = dict(num_classes=num_classes)
test_evaluator = val_evaluator
optim_wrapper = dict(optimizer=dict(lr=0.2))
auto_scale_lr = dict(base_batch_size=512)

# NCM, nearest class mean (Decoupling), on the CE ResNeXt-50 baseline of ImageNet-LT, test
# time only: class means of the centred, L2-normalised stage-1 features of the 115,846
# training images (read with the test pipeline, two passes), nearest mean by Euclidean
# distance. save_to keeps the model with its means, so later tests load that file instead.
#   python tools/test.py <this config> <stage-1 checkpoint>
_base_ = '../baselines/ce_resnext50-32x4d_8xb32-100e_imagenet-lt.py'
load_from = 'work_dirs/ce_resnext50-32x4d_8xb32-100e_imagenet-lt/epoch_100.pth'  # stage 1
model = dict(head=dict(_delete_=True, type='NCMClsHead', num_classes=1000, in_channels=2048,
                       feat_norm='cl2n', distance='l2'))
# SetClassStatsHook gives ShotAccuracy the training counts; NCMClassMeansHook the means
custom_hooks = [
    dict(type='SetClassStatsHook'),
    dict(type='NCMClassMeansHook', save_to='ncm_class_means.pth')
]

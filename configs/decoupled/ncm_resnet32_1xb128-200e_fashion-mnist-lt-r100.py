# NCM, nearest class mean (Decoupling), on the CE ResNet-32 baseline, test time only: no
# training. Before testing, NCMClassMeansHook runs the stage-1 backbone over the training
# images (with the test pipeline) and keeps each class's mean of the centred, L2-normalised
# features; an image gets the class whose mean is nearest in Euclidean distance
# (distance='cos': cosine similarity, i.e. distance to the normalised means).
#   python tools/test.py <this config> <stage-1 checkpoint>
_base_ = '../baselines/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
load_from = 'work_dirs/ce_resnet32_1xb128-200e_fashion-mnist-lt-r100/epoch_200.pth'  # stage 1
model = dict(head=dict(_delete_=True, type='NCMClsHead', num_classes=10, in_channels=64,
                       feat_norm='cl2n', distance='l2'))
# SetClassStatsHook gives ShotAccuracy the training counts; NCMClassMeansHook the means
custom_hooks = [dict(type='SetClassStatsHook'), dict(type='NCMClassMeansHook')]

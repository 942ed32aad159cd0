# NCM on the 6-epoch CE twin (the demo classifier), test time only: the 200-epoch NCM config
# pointed at the twin's checkpoint.
_base_ = './ncm_resnet32_1xb128-200e_fashion-mnist-lt-r100.py'
load_from = 'work_dirs/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100/epoch_6.pth'  # stage 1

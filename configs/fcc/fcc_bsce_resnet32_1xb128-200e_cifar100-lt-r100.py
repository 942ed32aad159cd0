# FCC on Balanced Softmax CE, CIFAR-100-LT IF100: the FCC CE recipe (LDAM ResNet-32, 200
# epochs, FCC gamma 1.0 from epoch 51, factors by frequency rank) with the loss of
# configs/losses/bsce_*: CE on z_c + log n_c in training, plain logits at test.
_base_ = './fcc_ce_resnet32_1xb128-200e_cifar100-lt-r100.py'
model = dict(head=dict(loss=dict(type='BalancedSoftmaxLoss')))

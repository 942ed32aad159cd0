# Short CPU twin of FCC on Balanced Softmax CE: the 6-epoch FCC CE twin (gamma 0.5, FCC from
# epoch 3) with CE on z_c + log n_c.
_base_ = './fcc_ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py'
model = dict(head=dict(loss=dict(type='BalancedSoftmaxLoss')))

# Federated loss in all three Cascade R-CNN X101-64x4d-FPN stages on LVIS v1; each stage
# draws its own negative classes per batch (image counts from the training set).
_base_ = '../baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v1.py'
fed_loss = dict(type='FederatedClsLoss', num_fed_classes=50, freq_power=0.5, loss_weight=1.0)
model = dict(roi_head=dict(bbox_head=[dict(h, loss_cls=fed_loss)
                                      for h in _base_.model.roi_head.bbox_head]))
custom_hooks = [dict(type='SetClassStatsHook', count_type='image')]

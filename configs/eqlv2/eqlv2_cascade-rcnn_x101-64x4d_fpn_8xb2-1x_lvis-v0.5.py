# EQLv2 in all three Cascade R-CNN X101-64x4d-FPN stages on LVIS v0.5; each stage accumulates
# its own gradient statistics (gamma 12, mu 0.8, alpha 4).
_base_ = '../baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v0.5.py'
eqlv2_loss = dict(type='EQLv2ClsLoss', num_classes=1230, gamma=12.0, mu=0.8, alpha=4.0,
                  loss_weight=1.0)
model = dict(roi_head=dict(bbox_head=[dict(h, loss_cls=eqlv2_loss)
                                      for h in _base_.model.roi_head.bbox_head]))

# TDE (De-confound training + background-exempted TDE inference) in all three Cascade R-CNN
# X101-64x4d-FPN stages on LVIS v0.5; each stage keeps its own moving-average feature.
_base_ = '../baselines/cascade-rcnn_x101-64x4d_fpn_8xb2-1x_lvis-v0.5.py'
tde_head = dict(type='TDEBBoxHead', num_heads=2, tau=16.0, gamma=1 / 32, mu=0.9998,
                test_cfg=dict(alpha=1.5, bg_exempt=True))
model = dict(roi_head=dict(
    bbox_head=[dict(h, **tde_head) for h in _base_.model.roi_head.bbox_head]))

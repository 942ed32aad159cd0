# Small TDE twin on the embedded Fashion-LVIS set: the baseline's narrow Mask R-CNN with the
# TDE box head (K=2 heads over the 256-d box feature, tau=16, gamma=1/32, mu=0.9998, alpha=1.5).
_base_ = '../baselines/mask-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(type='TDEBBoxHead', num_heads=2, tau=16.0, gamma=1 / 32, mu=0.9998,
                       test_cfg=dict(alpha=1.5, bg_exempt=True))))

# TDE (De-confound training + background-exempted TDE inference) in the Faster R-CNN R50-FPN
# box head on LVIS v1; the paper's values:
# K=2 heads, tau=16, gamma=1/32, mu=0.9998 and test-time alpha=1.5.
_base_ = '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py'
model = dict(
    roi_head=dict(
        bbox_head=dict(type='TDEBBoxHead', num_heads=2, tau=16.0, gamma=1 / 32, mu=0.9998,
                       test_cfg=dict(alpha=1.5, bg_exempt=True))))

# tau-norm for the Faster R-CNN R50-FPN LVIS v0.5 baseline, test only: its checkpoint scored with
# every fc_cls row (background included) divided by ||w_c|| ** 1.0, biases kept.
#   python tools/test_lvis.py <this config> <baseline checkpoint> --eval bbox
_base_ = '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py'
baseline_checkpoint = 'work_dirs/faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5/epoch_12.pth'
load_from = baseline_checkpoint
model = dict(roi_head=dict(bbox_head=dict(
    type='TauNormBBoxHead', test_cfg=dict(tau_norm=1.0, tau_norm_select=False, keep_bias=True))))

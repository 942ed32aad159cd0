# tau-norm-select for the Faster R-CNN R50-FPN LVIS v1 baseline, test only: only the foreground
# rows of fc_cls are divided by ||w_c|| ** 1.0; the background row keeps its weight and bias.
_base_ = './tau-norm_faster-rcnn_r50_fpn_8xb2-1x_lvis-v1.py'
model = dict(roi_head=dict(bbox_head=dict(test_cfg=dict(tau_norm_select=True))))

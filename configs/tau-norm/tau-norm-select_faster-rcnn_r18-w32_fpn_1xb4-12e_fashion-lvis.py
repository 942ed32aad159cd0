# tau-norm-select on the embedded set, test only: as tau-norm, but only the foreground rows of
# fc_cls are divided by ||w_c|| ** 1.0; the background row keeps its trained weight and bias.
_base_ = './tau-norm_faster-rcnn_r18-w32_fpn_1xb4-12e_fashion-lvis.py'
model = dict(roi_head=dict(bbox_head=dict(test_cfg=dict(tau_norm_select=True))))

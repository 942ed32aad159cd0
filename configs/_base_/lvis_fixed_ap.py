# Test-time settings for Fixed AP (Dave et al., 2021) and the LVIS 2021 challenge protocol.
#
# Fixed AP scores the 10,000 highest-scoring detections of every category over the whole
# test set and has no per-image cap, so the detector must not cut its output at 300 per
# image: `max_per_img=-1` keeps every detection above `score_thr` after NMS (Faster / Mask /
# Cascade / HTC R-CNN and their BAGS / TDE / RFS variants all read `test_cfg.rcnn`).
# FastLVISMetric then keeps, per category, only what can still be among the top 10,000 of
# the test set (bounded memory; masks are RLE-encoded only for detections that pass).
#
# tools/test_lvis.py applies `model.test_cfg.rcnn` below to every R-CNN stage of the tested
# config when --protocol is `fixed` or `challenge2021` (or --max-dets -1), and sets
# FastLVISMetric with that protocol as the test evaluator. To bake it into a config of your
# own:
#
#   _base_ = ['../bags/bags_mask-rcnn_r50_fpn_8xb2-1x_lvis-v1.py']
#   model = dict(test_cfg=dict(rcnn=dict(max_per_img=-1)))
#   test_evaluator = dict(_delete_=True, type='FastLVISMetric', protocol='fixed',
#                         metric=['bbox', 'segm'],
#                         ann_file='data/lvis_v1/annotations/lvis_v1_val.json')
model = dict(test_cfg=dict(rcnn=dict(max_per_img=-1)))

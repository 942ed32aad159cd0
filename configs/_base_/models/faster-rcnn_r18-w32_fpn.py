# A narrow Faster R-CNN for CPUs and the embedded set: ResNet-18 at half width (32..256
# channels), a 64-channel FPN, 128 sampled RoIs, trained from scratch (no downloaded weights).
_base_ = 'mmdet::_base_/models/faster-rcnn_r50_fpn.py'
model = dict(
    backbone=dict(depth=18, base_channels=32, frozen_stages=-1, norm_eval=False,
                  init_cfg=None),
    neck=dict(in_channels=[32, 64, 128, 256], out_channels=64),
    rpn_head=dict(in_channels=64, feat_channels=64,
                  anchor_generator=dict(scales=[6])),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=64),
        bbox_head=dict(in_channels=64, fc_out_channels=256, num_classes=10)),
    train_cfg=dict(
        rpn=dict(sampler=dict(num=128)),
        rpn_proposal=dict(nms_pre=1000, max_per_img=300),
        rcnn=dict(sampler=dict(num=128))),
    test_cfg=dict(
        rpn=dict(nms_pre=500, max_per_img=200),
        rcnn=dict(score_thr=0.0001, max_per_img=100)))

# focal-cls for the Faster R-CNN R50-FPN LVIS v0.5 baseline: sigmoid focal loss (gamma 2,
# alpha 0.25) on the box classifier, 1230 logits (no background logit). fc_cls starts from the
# focal-loss prior (bias -log(99), every class at p = 0.01); everything else is the baseline's.
_base_ = '../baselines/faster-rcnn_r50_fpn_8xb2-1x_lvis-v0.5.py'
focal_cls_init = [
    dict(type='Normal', std=0.01, bias_prob=0.01, override=dict(name='fc_cls')),
    dict(type='Normal', std=0.001, override=dict(name='fc_reg')),
    dict(type='Xavier', distribution='uniform',
         override=[dict(name='shared_fcs'), dict(name='cls_fcs'), dict(name='reg_fcs')])
]
model = dict(roi_head=dict(bbox_head=dict(
    loss_cls=dict(_delete_=True, type='SigmoidFocalClsLoss', gamma=2.0, alpha=0.25,
                  loss_weight=1.0),
    init_cfg=focal_cls_init)))

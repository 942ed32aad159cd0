# A Shared2FCBBoxHead classifier trained with ltr_mm's sigmoid focal loss (gamma 2, alpha 0.25;
# C logits, no background logit), fc_cls starting from the focal-loss prior (bias -log(99),
# every class at p = 0.01) and the rest of the stock head's initialisation. mmengine forbids
# the same key in two bases, so this fragment defines values; after listing it in _base_
# (after the baseline) a config writes
#   model = dict(roi_head=dict(bbox_head=dict(
#       loss_cls=dict(_base_.focal_cls_loss, _delete_=True), init_cfg=_base_.focal_cls_init)))
focal_cls_loss = dict(type='SigmoidFocalClsLoss', gamma=2.0, alpha=0.25, loss_weight=1.0)
focal_cls_init = [
    dict(type='Normal', std=0.01, bias_prob=0.01, override=dict(name='fc_cls')),
    dict(type='Normal', std=0.001, override=dict(name='fc_reg')),
    dict(type='Xavier', distribution='uniform',
         override=[dict(name='shared_fcs'), dict(name='cls_fcs'), dict(name='reg_fcs')])
]

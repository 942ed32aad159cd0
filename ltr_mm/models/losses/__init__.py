"""Losses: shared long-tail losses (both frameworks), RIDE (mmpretrain), BAGS and focal (mmdet)."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'BAGSLoss': '.bags_loss',
    'BalancedSoftmaxLoss': '.balanced_softmax_loss',
    'CDTLoss': '.cdt_loss',
    'ClassBalancedLoss': '.class_balanced_loss',
    'CostSensitiveCELoss': '.cost_sensitive_ce_loss',
    'ECMClsLoss': '.ecm_cls_loss',
    'EQLv2ClsLoss': '.eqlv2_cls_loss',
    'FederatedClsLoss': '.federated_cls_loss',
    'LDAMLoss': '.ldam_loss',
    'LogitAdjustLoss': '.logit_adjust_loss',
    'RIDEDistillLoss': '.ride_distill_loss',
    'RIDELoss': '.ride_loss',
    'SigmoidFocalClsLoss': '.sigmoid_focal_cls_loss',
})

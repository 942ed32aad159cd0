from .balanced_softmax_loss import BalancedSoftmaxLoss  # noqa: F401
from .cdt_loss import CDTLoss  # noqa: F401
from .class_balanced_loss import ClassBalancedLoss  # noqa: F401
from .cost_sensitive_ce_loss import CostSensitiveCELoss  # noqa: F401
from .ldam_loss import LDAMLoss  # noqa: F401
from .logit_adjust_loss import LogitAdjustLoss  # noqa: F401
from .bags_loss import BAGSLoss  # noqa: F401

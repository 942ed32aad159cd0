"""mmpretrain classification heads."""
from .tde_cls_head import TDEClsHead  # noqa: F401

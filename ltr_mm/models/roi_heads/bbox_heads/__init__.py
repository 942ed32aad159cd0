"""mmdet box heads (Shared2FCBBoxHead subclasses)."""
from .tau_norm_bbox_head import TauNormBBoxHead  # noqa: F401
from .tde_bbox_head import TDEBBoxHead  # noqa: F401

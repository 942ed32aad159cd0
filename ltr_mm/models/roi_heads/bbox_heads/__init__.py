"""mmdet box heads (Shared2FCBBoxHead subclasses)."""
from .tde_bbox_head import TDEBBoxHead  # noqa: F401

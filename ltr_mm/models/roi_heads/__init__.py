"""mmdet RoI-head parts."""
from . import bbox_heads  # noqa: F401

from . import backbones, losses  # noqa: F401
from . import heads, roi_heads  # noqa: F401

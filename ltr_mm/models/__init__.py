from . import backbones, losses  # noqa: F401
from . import heads, roi_heads  # noqa: F401
from . import classifiers, functional, layers  # noqa: F401

"""mmpretrain classification heads."""
from .tde_cls_head import TDEClsHead  # noqa: F401
from .lt_linear_cls_head import LTLinearClsHead  # noqa: F401
from .lws_cls_head import LWSClsHead  # noqa: F401
from .ncm_cls_head import NCMClsHead  # noqa: F401
from .ride_head import RIDEHead  # noqa: F401
from .ride_router import RIDERouter  # noqa: F401

from . import backbones, losses  # noqa: F401

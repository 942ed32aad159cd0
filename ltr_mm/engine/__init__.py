from . import checkpoint_loader, hooks  # noqa: F401

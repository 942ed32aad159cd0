from . import checkpoint_loader, hooks, runner  # noqa: F401

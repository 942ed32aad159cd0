from .tde_momentum_hook import TDEMomentumHook  # noqa: F401

"""Classifier-weight re-balancing of `Decoupling <https://arxiv.org/abs/1910.09217>`_."""
from torch import Tensor


def tau_normalize(weight: Tensor, tau: float = 1.0, eps: float = 1e-12) -> Tensor:
    """tau-normalisation of classifier weights: ``w_c / ||w_c||_2 ** tau``.

    Each row ``w_c`` (one class) is divided by its L2 norm raised to ``tau``: ``tau = 0``
    returns the weights unchanged, ``tau = 1`` gives every class a unit-norm weight, values in
    between shrink the norm gap between frequent and rare classes.

    Args:
        weight: classifier weights of shape ``(C, D)``.
        tau: exponent of the norm. Defaults to 1.0.
        eps: lower bound of a row norm, so all-zero rows stay zero. Defaults to 1e-12.

    Returns:
        Tensor: re-scaled weights of shape ``(C, D)``.
    """
    if tau == 0:
        return weight
    norms = weight.norm(p=2, dim=1, keepdim=True).clamp(min=eps)
    return weight / norms.pow(tau)

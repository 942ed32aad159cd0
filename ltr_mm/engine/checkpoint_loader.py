"""Load mmengine checkpoints with ``torch.load(weights_only=True)`` on torch >= 2.6.

Since torch 2.6 ``torch.load`` defaults to ``weights_only=True`` and rejects every class it
does not know. An mmengine checkpoint stores, next to the tensors, the message hub's
``HistoryBuffer`` objects (numpy arrays of logged values) and numpy scalars, so mmengine 0.10.7
cannot resume (``--resume``) or even ``load_from`` its own checkpoints there.

:func:`weights_only_checkpoints` is a context manager that allows, only inside its block,
exactly the globals such checkpoints contain:

- ``mmengine.logging.history_buffer.HistoryBuffer``;
- numpy's array, dtype and scalar reconstruction (``ndarray``, ``dtype`` and its per-type
  classes, ``_reconstruct``, ``scalar``);
- ``builtins.getattr``: pickle refers to ``HistoryBuffer.min`` / ``max`` / ``mean`` /
  ``current`` (kept in the buffer's statistics table) as ``getattr(HistoryBuffer, 'min')``.
  The weights-only unpickler still calls nothing outside this list, so what ``getattr``
  returns can only be stored, never called.

ltr_mm enters it around mmengine's own loading, wherever an mmengine checkpoint is read:
:class:`~ltr_mm.engine.runner.WeightsOnlyRunner` (``load_from``, ``--resume``, pretrained
weights), ``Stage1CheckpointHook`` and the RIDE distillation teacher. mmengine's loader is
never replaced, nothing is allowed outside the block and ``weights_only`` is never switched
off. On torch < 2.5, which has no ``torch.serialization.safe_globals`` (and loads with
``weights_only=False`` by default), the block changes nothing.
"""
import contextlib
import os.path as osp
from typing import Any, Callable, Iterator, List, Optional, Union

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer

try:  # numpy >= 2
    from numpy._core.multiarray import _reconstruct, scalar
except ImportError:  # numpy 1.x
    from numpy.core.multiarray import _reconstruct, scalar

_NUMPY_DTYPES = ('bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32',
                 'uint64', 'float16', 'float32', 'float64', 'complex64', 'complex128', 'str',
                 'object')


def checkpoint_safe_globals() -> List[Union[type, Callable]]:
    """The globals an mmengine checkpoint needs beyond torch's weights-only defaults."""
    dtype_classes = [type(np.dtype(name)) for name in _NUMPY_DTYPES]
    return [HistoryBuffer, np.ndarray, np.dtype, _reconstruct, scalar, getattr, *dtype_classes]


@contextlib.contextmanager
def weights_only_checkpoints() -> Iterator[None]:
    """Allow :func:`checkpoint_safe_globals` under ``weights_only=True`` inside the block."""
    safe_globals = getattr(torch.serialization, 'safe_globals', None)
    if safe_globals is None:  # torch < 2.5
        yield
        return
    with safe_globals(checkpoint_safe_globals()):
        yield


def load_from_local_weights_only(filename: str,
                                 map_location: Optional[Union[str, Callable]] = None) -> Any:
    """``torch.load`` a local mmengine checkpoint with ``weights_only=True``.

    Args:
        filename: local checkpoint path (``~`` is expanded).
        map_location: as for :func:`torch.load`. Defaults to None.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint file not found: {filename}')
    with weights_only_checkpoints():
        return torch.load(filename, map_location=map_location, weights_only=True)


__all__ = ['checkpoint_safe_globals', 'load_from_local_weights_only', 'weights_only_checkpoints']

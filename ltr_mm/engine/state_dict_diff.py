"""Compare the keys and shapes of a checkpoint with those of a model, allowing named changes.

Used by :class:`~ltr_mm.engine.hooks.Stage1CheckpointHook` to refuse a stage-1 checkpoint
that does not fit the stage-2 model. Only shapes are compared; values never matter.
"""
import re
from fnmatch import fnmatchcase
from typing import Dict, List, Mapping, NamedTuple, Sequence, Tuple

Shape = Tuple[int, ...]

#: how many keys each list of :func:`format_diff` shows before "... and N more".
MAX_SHOWN = 8


class StateDictDiff(NamedTuple):
    """What keeps a checkpoint from fitting a model, allowed keys left out.

    Attributes:
        missing: model keys the checkpoint lacks, in model order.
        unexpected: checkpoint keys the model lacks, in checkpoint order.
        mismatched: ``(key, checkpoint shape, model shape)``, in model order.
    """

    missing: List[str]
    unexpected: List[str]
    mismatched: List[Tuple[str, Shape, Shape]]

    def __bool__(self) -> bool:
        return bool(self.missing or self.unexpected or self.mismatched)


def key_matches(key: str, pattern: str) -> bool:
    """``pattern`` (fnmatch) names the key itself or a module that contains it."""
    return fnmatchcase(key, pattern) or fnmatchcase(key, pattern + '.*')


def _any(key: str, patterns: Sequence[str]) -> bool:
    return any(key_matches(key, p) for p in patterns)


def state_shapes(state_dict: Mapping, revise: str = r'^module\.') -> Dict[str, Shape]:
    """Key -> shape of every tensor in ``state_dict``; keys lose the ``revise`` regex
    (the ``module.`` of a wrapped model, as mmengine's loader strips it)."""
    return {re.sub(revise, '', key): tuple(value.shape)
            for key, value in state_dict.items() if hasattr(value, 'shape')}


def unused_patterns(model: Mapping[str, Shape], patterns: Sequence[str]) -> List[str]:
    """The patterns that match no key of ``model`` (a typo in a config)."""
    return [p for p in patterns if not any(key_matches(k, p) for k in model)]


def diff_shapes(model: Mapping[str, Shape], checkpoint: Mapping[str, Shape],
                allow_new: Sequence[str] = (),
                allow_reinit: Sequence[str] = ()) -> StateDictDiff:
    """Differences between ``checkpoint`` and ``model`` that no allowance covers.

    Args:
        model: key -> shape of the model's state dict.
        checkpoint: key -> shape of the checkpoint's state dict.
        allow_new: patterns of model keys the checkpoint may lack (modules that stage 2
            adds and initialises itself); present, they must have the model's shape.
        allow_reinit: patterns of keys stage 2 re-initialises: the checkpoint may lack
            them, give them another shape or hold keys under them that the model lacks.

    Returns:
        StateDictDiff: empty (false) when the checkpoint fits.
    """
    missing = [k for k in model
               if k not in checkpoint and not _any(k, allow_new) and not _any(k, allow_reinit)]
    unexpected = [k for k in checkpoint if k not in model and not _any(k, allow_reinit)]
    mismatched = [(k, checkpoint[k], shape) for k, shape in model.items()
                  if k in checkpoint and checkpoint[k] != shape and not _any(k, allow_reinit)]
    return StateDictDiff(missing, unexpected, mismatched)


def _shown(items: Sequence[str]) -> str:
    more = len(items) - MAX_SHOWN
    return ', '.join(items[:MAX_SHOWN]) + (f', ... and {more} more' if more > 0 else '')


def _shape(shape: Shape) -> str:
    return '(' + ', '.join(map(str, shape)) + ')'


def format_diff(diff: StateDictDiff) -> str:
    """One line per kind of difference, each list cut after :data:`MAX_SHOWN` keys::

        missing from the checkpoint (2): backbone.layer1.3.conv1.weight, ...
        unexpected in the checkpoint (1): roi_head.mask_head.conv_logits.weight
        shape mismatch, checkpoint vs model (1): neck.fpn_convs.0.conv.weight (32, 32, 3, 3)
            vs (64, 64, 3, 3)
    """
    lines = []
    if diff.missing:
        lines.append(f'missing from the checkpoint ({len(diff.missing)}): '
                     f'{_shown(diff.missing)}')
    if diff.unexpected:
        lines.append(f'unexpected in the checkpoint ({len(diff.unexpected)}): '
                     f'{_shown(diff.unexpected)}')
    if diff.mismatched:
        pairs = [f'{k} {_shape(c)} vs {_shape(m)}' for k, c, m in diff.mismatched]
        lines.append(f'shape mismatch, checkpoint vs model ({len(pairs)}): {_shown(pairs)}')
    return '\n'.join(lines)

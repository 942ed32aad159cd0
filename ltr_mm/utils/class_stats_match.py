"""Does a class-stats file fit the data or the model it is used with?

:func:`~ltr_mm.utils.class_stats.load_class_stats` checks a file on its own (missing fields,
negative or non-integer counts, lengths that disagree with ``num_classes``). This module
checks it against what it is used for: the number of classes of a model or a data set, and
the class names of a data set. Every error names the file, the field and the value.
"""
from typing import Any, Dict, Optional, Sequence

from ltr_mm.utils.bad_input import field_error


def check_stats_match(stats: Dict[str, Any], path: str, against: str,
                      num_classes: Optional[int] = None,
                      classes: Optional[Sequence[str]] = None) -> None:
    """Raise ``ValueError`` unless ``stats`` has ``num_classes`` counts / these class names.

    Args:
        stats: a record returned by ``load_class_stats`` (``counts`` and ``classes``).
        path: the class-stats file, named in messages.
        against: what the file is compared with, e.g. ``'the training data (ImageNetLT,
            file train.txt)'``.
        num_classes: expected number of classes. Defaults to None (``len(classes)``, or no
            length check).
        classes: expected class names, index-aligned. Defaults to None (no name check).
    """
    counts = stats['counts']
    expected = len(classes) if classes is not None else num_classes
    if expected is not None and len(counts) != expected:
        raise field_error(path, 'counts', counts, f'has {len(counts)} entries but {against} '
                          f'has {expected} classes')
    names = stats.get('classes')
    if classes is None or names is None:
        return
    differ = [i for i, (a, b) in enumerate(zip(names, classes)) if a != b]
    if differ:
        i = differ[0]
        raise field_error(path, f'classes[{i}]', names[i], f'differs from {against}, whose '
                          f'class {i} is {classes[i]!r} ({len(differ)} of {len(classes)} '
                          'names differ)')

"""Do class statistics fit the data or the model they are used with?

:class:`~ltr_mm.utils.class_stats.ClassStats` checks itself on construction (negative or
non-integer counts, names of another length; a file is validated by
:func:`~ltr_mm.utils.class_stats.load_class_stats`). This module checks it against what it is
used for: the number of classes of a model or a data set, and the class names of a data set.
Every error names the source (the file), the field and the value.
"""
from typing import Optional, Sequence

from ltr_mm.utils.bad_input import field_error
from ltr_mm.utils.class_stats import ClassStats


def check_stats_match(stats: ClassStats, against: str, num_classes: Optional[int] = None,
                      classes: Optional[Sequence[str]] = None) -> None:
    """Raise ``ValueError`` unless ``stats`` has ``num_classes`` counts / these class names.

    Names are compared only when ``stats`` has names.

    Args:
        stats: the statistics; their ``source`` (e.g. the file) is named in messages.
        against: what they are compared with, e.g. ``'the training data (ImageNetLT,
            file train.txt)'``.
        num_classes: expected number of classes. Defaults to None (``len(classes)``, or no
            length check).
        classes: expected class names, index-aligned. Defaults to None (no name check).
    """
    source = stats.describe()
    counts = list(stats.counts)
    expected = len(classes) if classes is not None else num_classes
    if expected is not None and len(counts) != expected:
        raise field_error(source, 'counts', counts, f'has {len(counts)} entries but {against} '
                          f'has {expected} classes')
    names = stats.classes
    if classes is None or not names:
        return
    differ = [i for i, (a, b) in enumerate(zip(names, classes)) if a != b]
    if differ:
        i = differ[0]
        raise field_error(source, f'classes[{i}]', names[i], f'differs from {against}, whose '
                          f'class {i} is {classes[i]!r} ({len(differ)} of {len(classes)} '
                          'names differ)')

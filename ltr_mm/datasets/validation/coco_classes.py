"""Do the categories of a COCO / LVIS file fit the dataset's class names?"""
import warnings
from typing import List, Sequence

from ltr_mm.utils.bad_input import field_error


def check_classes(categories: List[dict], classes: Sequence[str], source: str,
                  by_name: bool) -> None:
    """Check the file's categories against the dataset's ``metainfo['classes']``.

    Args:
        categories: the file's categories.
        classes: class names of the dataset.
        source: the file, for messages.
        by_name: COCO loaders pick categories by name (every class must be a category
            name); LVIS loaders label the file's categories in order (the numbers must be
            equal; differing names only warn, they do not change the labels).
    """
    names = [c.get('name') for c in categories]
    if by_name:
        missing = [(k, n) for k, n in enumerate(classes) if n not in names]
        if missing:
            k, name = missing[0]
            raise field_error(source, 'categories[].name', name,
                              f'is not a category name (metainfo["classes"][{k}]; '
                              f'{len(missing)} of {len(classes)} class names are missing)')
        return
    if len(categories) != len(classes):
        raise field_error(source, 'categories', f'<{len(categories)} entries>',
                          f'does not match the {len(classes)} names of metainfo["classes"] '
                          '(labels follow the file\'s category order)')
    differ = [k for k, (a, b) in enumerate(zip(names, classes)) if a != b]
    if differ:
        k = differ[0]
        warnings.warn(f'{source}: field "categories[{k}].name" = {names[k]!r} differs from '
                      f'metainfo["classes"][{k}] = {classes[k]!r} ({len(differ)} names '
                      'differ; labels follow the file\'s category order)', UserWarning,
                      stacklevel=3)

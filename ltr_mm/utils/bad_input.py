"""One wording for every bad-input error of ltr_mm: the file, the field and the value.

Usage::

    raise field_error('ann.json', 'annotations[3].bbox', [1, 2, 0], 'is not [x, y, w, h]')
    # ValueError: ann.json: field "annotations[3].bbox" = [1, 2, 0] is not [x, y, w, h]
"""
import reprlib
import sys
from typing import Any, Callable, Type

_REPR = reprlib.Repr()
_REPR.maxlist = 8
_REPR.maxdict = 6
_REPR.maxstring = 400
_REPR.maxother = 80


def short_repr(value: Any) -> str:
    """``repr`` of ``value`` shortened to a few list items / characters."""
    return _REPR.repr(value)


def field_error(source: str, field: str, value: Any, why: str,
                error: Type[Exception] = ValueError) -> Exception:
    """An exception whose message names the file, the field and the value.

    Args:
        source: the file (or object) the value comes from.
        field: the field, e.g. ``'annotations[3].category_id'``.
        value: the offending value (shortened in the message).
        why: what is wrong, e.g. ``'is not the id of any category'``.
        error: exception class. Defaults to ``ValueError``.

    Returns:
        Exception: ``error('<source>: field "<field>" = <value> <why>')``, to be raised.
    """
    return error(f'{source}: field "{field}" = {short_repr(value)} {why}')


def missing_field_error(source: str, field: str, context: str = '',
                        error: Type[Exception] = ValueError) -> Exception:
    """An exception for a field that is absent: ``'<source>: field "<field>" is missing'``.

    Args:
        source: the file the record comes from.
        field: the absent field, e.g. ``'annotations[3].bbox'``.
        context: appended in parentheses, e.g. ``'annotation id 4'``. Defaults to ''.
        error: exception class. Defaults to ``ValueError``.
    """
    return error(f'{source}: field "{field}" is missing' + (f' ({context})' if context else ''))


def exit_on_bad_input(tool: str, run: Callable[[], Any]) -> Any:
    """Call ``run()``; a ``ValueError`` or ``OSError`` (bad input, missing file) prints one
    line ``TOOL: error: MESSAGE`` on stderr and exits with status 2, without a traceback.

    Args:
        tool: the command's name, as the user typed it (e.g. ``'eval_lvis.py'``).
        run: the tool's work.
    """
    try:
        return run()
    except (ValueError, OSError) as err:  # FileNotFoundError is an OSError
        print(f'{tool}: error: {" ".join(str(err).split())}', file=sys.stderr, flush=True)
        sys.exit(2)

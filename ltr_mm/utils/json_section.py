"""Read one top-level section of a big JSON file without parsing the rest.

An LVIS v1 training file is over a gigabyte, mostly annotations; a reader that needs only its
``categories`` (about a megabyte) should not pay for ``json.load`` of the whole file.
:func:`read_json_section` memory-maps the file, finds the single ``"key":`` in it and decodes
only the value that follows, reading a few megabytes at a time until the value is complete.
"""
import json
import mmap
import re
from typing import Any, Optional

_WS = re.compile(rb'\s*')


def read_json_section(path: str, key: str, chunk: int = 1 << 22) -> Optional[Any]:
    """The value of ``key`` in the JSON object stored in ``path``, or None.

    None is returned, and the caller should parse the whole file instead, when the file is
    not a JSON object, when ``"key":`` occurs anywhere but exactly once (for example also as
    a key of a nested object), or when the value after it is not valid JSON.

    Args:
        path: the JSON file.
        key: the top-level key.
        chunk: bytes decoded at first; doubled until the value is complete.
    """
    with open(path, 'rb') as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        first = _WS.match(data).end()
        if data[first:first + 1] != b'{':
            return None
        found = [m.end() for m in re.finditer(rb'"' + re.escape(key.encode()) + rb'"\s*:\s*',
                                              data)]
        if len(found) != 1:
            return None
        start, size = found[0], chunk
        decoder = json.JSONDecoder()
        while True:
            text = data[start:start + size].decode('utf-8', errors='replace')
            whole = start + size >= len(data)
            try:
                value, end = decoder.raw_decode(text)
                if end < len(text) or whole:  # a value cut at the chunk end is re-read
                    return value
            except json.JSONDecodeError:
                if whole:
                    return None
            size *= 2

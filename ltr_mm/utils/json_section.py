"""Read one top-level section of a big JSON file without parsing the rest.

An LVIS v1 training file is over a gigabyte, mostly annotations; a reader that needs only its
``categories`` (about a megabyte) should not pay for ``json.load`` of the whole file.
:func:`read_json_section` scans the file in chunks for the single ``"key":`` in it and
decodes only the value that follows, reading a few megabytes at a time until the value is
complete. Plain reads into a reused buffer keep the memory flat (a memory map would count
every scanned page in the process's resident size).
"""
import json
import re
from typing import Any, BinaryIO, List, Optional

_WS = re.compile(rb'\s*')
_OVERLAP = 4096  # bytes kept between chunks, so a key split by a chunk end is still found


def _key_offsets(f: BinaryIO, key: str, chunk: int) -> List[int]:
    """End offsets of every ``"key"<ws>:<ws>`` in the file (at most two are collected)."""
    pattern = re.compile(rb'"' + re.escape(key.encode()) + rb'"\s*:\s*')
    found: List[int] = []
    base, tail = 0, b''
    while len(found) < 2:
        block = f.read(chunk)
        data = tail + block
        for m in pattern.finditer(data):
            pos = base - len(tail) + m.end()
            if pos not in found and (m.end() < len(data) or not block):
                found.append(pos)
        if not block:
            return found
        base += len(block)
        tail = data[-_OVERLAP:]
    return found


def read_json_section(path: str, key: str, chunk: int = 1 << 22) -> Optional[Any]:
    """The value of ``key`` in the JSON object stored in ``path``, or None.

    None is returned, and the caller should parse the whole file instead, when the file is
    not a JSON object, when ``"key":`` occurs anywhere but exactly once (for example also as
    a key of a nested object), or when the value after it is not valid JSON.

    Args:
        path: the JSON file.
        key: the top-level key.
        chunk: bytes read at a time; the decoded window doubles until the value is complete.
    """
    with open(path, 'rb') as f:
        head = f.read(_OVERLAP)
        first = _WS.match(head).end()
        if head[first:first + 1] != b'{':
            return None
        f.seek(0)
        found = _key_offsets(f, key, chunk)
        if len(found) != 1:
            return None
        size, decoder = chunk, json.JSONDecoder()
        while True:
            f.seek(found[0])
            raw = f.read(size)
            whole = len(raw) < size
            text = raw.decode('utf-8', errors='replace')
            try:
                value, end = decoder.raw_decode(text)
                if end < len(text) or whole:  # a value cut at the window end is re-read
                    return value
            except json.JSONDecodeError:
                if whole:
                    return None
            size *= 2

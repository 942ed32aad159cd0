"""Convert the Cui et al. (CVPR 2019) CIFAR-LT TFRecords into PNG images and json annotations.

Needs no TensorFlow: the TFRecord framing (uint64 length, masked CRC-32C of the length, the
payload, masked CRC-32C of the payload) and the ``tf.train.Example`` protocol-buffer wire format
are parsed here. Every ``*.tfrecords`` file under ``--input_path`` (e.g.
``cifar-10-data-im-0.01/train.tfrecords``) becomes ``<output>/<relative dir>/<stem>/<n>.png``
plus ``<output>/<relative dir>/<stem>.json`` in the ``{"annotations": [{image_id, fpath,
im_height, im_width, category_id}], "num_classes"}`` format read by ``LTJsonDataset``; ``fpath``
is absolute (rewrite it later with ``replace_path.py``). The ``image`` feature holds either the
raw 32x32x3 uint8 pixels in CHW order (Cui et al.'s files) or an encoded PNG/JPEG.

Usage::

    python tools/dataset_converters/convert_from_tfrecords.py \\
        --input_path /downloaded/data/ --output_path /downloaded/converted/
"""
import argparse
import io
import json
import struct
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np
from PIL import Image

_CRC_TABLE: List[int] = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli) of ``data``; ``crc32c(b'123456789') == 0xE3069283``."""
    crc, table = 0xFFFFFFFF, _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data: bytes) -> int:
    """The masked CRC stored by the TFRecord format."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def read_records(path: Path, check_crc: bool = True) -> Iterator[bytes]:
    """Yield the payloads of a TFRecord file, checking the framing CRCs.

    Args:
        path: the ``.tfrecords`` file.
        check_crc: also verify the payload CRC (the length CRC is always checked).

    Yields:
        bytes: one serialised record.
    """
    with open(path, 'rb') as f:
        while True:
            header = f.read(12)
            if not header:
                return
            if len(header) < 12:
                raise ValueError(f'{path}: truncated record header')
            length, length_crc = struct.unpack('<QI', header)
            if masked_crc(header[:8]) != length_crc:
                raise ValueError(f'{path}: bad length CRC')
            data = f.read(length)
            footer = f.read(4)
            if len(data) < length or len(footer) < 4:
                raise ValueError(f'{path}: truncated record')
            if check_crc and masked_crc(data) != struct.unpack('<I', footer)[0]:
                raise ValueError(f'{path}: bad data CRC')
            yield data


def _varint(buf: bytes, pos: int) -> Tuple[int, int]:
    """Decode a base-128 varint at ``pos``; return (value, next position)."""
    value, shift = 0, 0
    while True:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(buf: bytes) -> Iterator[Tuple[int, int, object]]:
    """Yield (field number, wire type, value) of a serialised protobuf message."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + size], pos + size
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f'unsupported protobuf wire type {wire}')
        yield number, wire, value


def _parse_feature(buf: bytes) -> list:
    """Values of a ``tf.train.Feature`` (bytes_list 1, float_list 2, int64_list 3)."""
    for kind, _, payload in _fields(buf):
        values: list = []
        for _, wire, value in _fields(payload):
            if kind == 1:
                values.append(bytes(value))
            elif kind == 2:
                fmt = '<%df' % (len(value) // 4)
                values.extend(struct.unpack(fmt, value))
            elif wire == 0:
                values.append(value - (1 << 64) if value >= 1 << 63 else value)
            else:
                pos = 0
                while pos < len(value):
                    v, pos = _varint(value, pos)
                    values.append(v - (1 << 64) if v >= 1 << 63 else v)
        return values
    return []


def parse_example(buf: bytes) -> Dict[str, list]:
    """Parse a serialised ``tf.train.Example`` into ``{feature name: list of values}``."""
    features: Dict[str, list] = {}
    for number, _, feats in _fields(buf):
        if number != 1:
            continue
        for _, _, entry in _fields(feats):
            key, value = '', b''
            for field, _, part in _fields(entry):
                if field == 1:
                    key = bytes(part).decode('utf-8')
                elif field == 2:
                    value = part
            features[key] = _parse_feature(value)
    return features


def decode_image(raw: bytes) -> np.ndarray:
    """HWC uint8 image from raw CHW 32x32x3 pixels or encoded PNG/JPEG bytes."""
    if len(raw) == 3 * 32 * 32:
        return np.frombuffer(raw, np.uint8).reshape(3, 32, 32).transpose(1, 2, 0)
    return np.asarray(Image.open(io.BytesIO(raw)).convert('RGB'))


def convert_file(path: Path, out_dir: Path, num_classes: Optional[int], image_key: str,
                 label_key: str, check_crc: bool = True) -> dict:
    """Write the images of one TFRecord file and return its annotation dict."""
    img_dir = out_dir / path.stem
    img_dir.mkdir(parents=True, exist_ok=True)
    anns = []
    for i, record in enumerate(read_records(path, check_crc)):
        example = parse_example(record)
        img = decode_image(example[image_key][0])
        fpath = (img_dir / f'{i:06d}.png').resolve()
        Image.fromarray(img).save(fpath)
        anns.append(dict(image_id=i, fpath=str(fpath), im_height=int(img.shape[0]),
                         im_width=int(img.shape[1]), category_id=int(example[label_key][0])))
    if num_classes is None:
        num_classes = 1 + max((a['category_id'] for a in anns), default=-1)
    return {'annotations': anns, 'num_classes': num_classes}


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--input_path', '--input-path', required=True)
    parser.add_argument('--output_path', '--output-path', required=True)
    parser.add_argument('--num_classes', '--num-classes', type=int, default=None,
                        help='default: 100 if "cifar-100" is in the path, else 1 + max label')
    parser.add_argument('--image_key', default='image')
    parser.add_argument('--label_key', default='label')
    parser.add_argument('--no_crc_check', action='store_true', help='skip payload CRCs')
    args = parser.parse_args(argv)
    src, dst = Path(args.input_path), Path(args.output_path)
    files = sorted(src.rglob('*.tfrecords')) if src.is_dir() else [src]
    if not files:
        raise SystemExit(f'no *.tfrecords file under {src}')
    for path in files:
        rel = path.parent.relative_to(src) if src.is_dir() else Path('.')
        num = args.num_classes or (100 if 'cifar-100' in str(path) else
                                   10 if 'cifar-10' in str(path) else None)
        ann = convert_file(path, dst / rel, num, args.image_key, args.label_key,
                           not args.no_crc_check)
        with open(dst / rel / f'{path.stem}.json', 'w') as f:
            json.dump(ann, f)
        print(f'{path}: {len(ann["annotations"])} images -> {dst / rel / path.stem}.json')


if __name__ == '__main__':
    main()

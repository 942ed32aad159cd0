"""convert_from_tfrecords: TFRecord framing + tf.train.Example parsing, written here by hand."""
import importlib.util
import io
import json
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ltr_mm.utils.class_stats import ClassStats

TOOL = Path(__file__).resolve().parents[2] / 'tools/dataset_converters/convert_from_tfrecords.py'


def _counts(dataset):
    """Per-class training counts, as SetClassStatsHook computes them."""
    return list(ClassStats.from_dataset(dataset).counts)


def _load():
    spec = importlib.util.spec_from_file_location('convert_from_tfrecords', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


tool = _load()


def _crc32c_bitwise(data):
    """Independent bit-by-bit CRC-32C for the writer."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 & -(crc & 1))
    return crc ^ 0xFFFFFFFF


def _masked(data):
    crc = _crc32c_bitwise(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(value):
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number, payload):
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _example(features):
    """Serialise {name: ('bytes'|'int64'|'int64_unpacked'|'float', values)}."""
    entries = b''
    for name, (kind, values) in features.items():
        if kind == 'bytes':
            feature = _field(1, b''.join(_field(1, v) for v in values))
        elif kind == 'float':
            feature = _field(2, _field(1, struct.pack('<%df' % len(values), *values)))
        elif kind == 'int64':
            feature = _field(3, _field(1, b''.join(_varint(v) for v in values)))
        else:
            feature = _field(3, b''.join(_varint(1 << 3) + _varint(v) for v in values))
        entries += _field(1, _field(1, name.encode()) + _field(2, feature))
    return _field(1, entries)


def _write_tfrecord(path, records):
    with open(path, 'wb') as f:
        for rec in records:
            header = struct.pack('<Q', len(rec))
            f.write(header + struct.pack('<I', _masked(header)) + rec)
            f.write(struct.pack('<I', _masked(rec)))


def test_crc_and_protobuf_parsing():
    assert tool.crc32c(b'123456789') == 0xE3069283 == _crc32c_bitwise(b'123456789')
    parsed = tool.parse_example(_example({
        'b': ('bytes', [b'xy', b'']), 'i': ('int64', [3, -2, 1 << 40]),
        'u': ('int64_unpacked', [7, 300]), 'f': ('float', [0.5, -1.25])}))
    assert parsed == {'b': [b'xy', b''], 'i': [3, -2, 1 << 40], 'u': [7, 300],
                      'f': [0.5, -1.25]}


def test_round_trip_raw_and_png(tmp_path):
    rng = np.random.RandomState(0)
    images = rng.randint(0, 256, (5, 32, 32, 3)).astype(np.uint8)
    labels = [0, 9, 3, 3, 1]
    src = tmp_path / 'src' / 'cifar-10-data-im-0.01'
    src.mkdir(parents=True)
    raw = [_example({'image': ('bytes', [img.transpose(2, 0, 1).tobytes()]),
                     'label': ('int64', [lab])}) for img, lab in zip(images, labels)]
    _write_tfrecord(src / 'train.tfrecords', raw)
    buf = io.BytesIO()
    Image.fromarray(images[0]).save(buf, format='PNG')
    _write_tfrecord(src / 'eval.tfrecords', [_example({'image': ('bytes', [buf.getvalue()]),
                                                       'label': ('int64', [4])})])
    out = tmp_path / 'out'
    subprocess.run([sys.executable, str(TOOL), '--input_path', str(tmp_path / 'src'),
                    '--output_path', str(out)], check=True, capture_output=True)
    ann = json.loads((out / 'cifar-10-data-im-0.01/train.json').read_text())
    assert ann['num_classes'] == 10 and len(ann['annotations']) == 5
    for i, a in enumerate(ann['annotations']):
        assert a['image_id'] == i and a['category_id'] == labels[i]
        assert (a['im_height'], a['im_width']) == (32, 32) and Path(a['fpath']).is_absolute()
        np.testing.assert_array_equal(np.asarray(Image.open(a['fpath'])), images[i])
    ev = json.loads((out / 'cifar-10-data-im-0.01/eval.json').read_text())['annotations']
    assert ev[0]['category_id'] == 4
    np.testing.assert_array_equal(np.asarray(Image.open(ev[0]['fpath'])), images[0])

    from ltr_mm.datasets import LTJsonDataset
    ds = LTJsonDataset(str(out / 'cifar-10-data-im-0.01/train.json'))
    assert _counts(ds) == [1, 1, 0, 2, 0, 0, 0, 0, 0, 1]


def test_corrupt_records_are_rejected(tmp_path):
    path = tmp_path / 'a.tfrecords'
    _write_tfrecord(path, [_example({'label': ('int64', [1])})])
    data = bytearray(path.read_bytes())
    data[14] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match='bad data CRC'):
        list(tool.read_records(path))
    assert len(list(tool.read_records(path, check_crc=False))) == 1
    path.write_bytes(bytes(data[:-3]))
    with pytest.raises(ValueError, match='truncated'):
        list(tool.read_records(path, check_crc=False))

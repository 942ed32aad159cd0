"""An empty training set is an error naming its file, for ltr_mm's classification datasets
(the checked detection datasets are covered in test_bad_input_annotations.py)."""
import json

import pytest

import ltr_mm  # noqa: F401
from ltr_mm.datasets import ImageNetLT, LTJsonDataset


def test_empty_list_file(tmp_path):
    (tmp_path / 'train.txt').write_text('')
    with pytest.raises(ValueError) as info:
        ImageNetLT(data_root=str(tmp_path), ann_file='train.txt', pipeline=[])
    assert str(info.value) == (f'{tmp_path / "train.txt"}: the training set of ImageNetLT is '
                               'empty: the file lists no sample')


def test_empty_test_list_names_the_test_set(tmp_path):
    (tmp_path / 'test.txt').write_text('')
    with pytest.raises(ValueError, match=r'test\.txt: the test set of ImageNetLT is empty'):
        ImageNetLT(data_root=str(tmp_path), ann_file='test.txt', pipeline=[], test_mode=True)


def test_json_without_annotations(tmp_path):
    path = tmp_path / 'train.json'
    path.write_text(json.dumps(dict(annotations=[], num_classes=3)))
    with pytest.raises(ValueError) as info:
        LTJsonDataset(str(path), pipeline=[])
    assert str(info.value) == (f'{path}: the training set of LTJsonDataset is empty: the file '
                               'lists no sample')

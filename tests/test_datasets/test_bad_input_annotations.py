"""Bad LVIS / COCO annotation files give errors naming the file, the field and the value."""
import json
import warnings

import pytest
from bad_input_data import CLASSES, lvis_dict, lvis_kwargs, write_lvis
from mmdet.datasets import LVISV1Dataset
from mmdet.registry import DATASETS

import ltr_mm  # noqa: F401
from ltr_mm.datasets import CheckedCocoDataset, CheckedLVISV05Dataset, CheckedLVISV1Dataset
from ltr_mm.datasets.validation import SkippedAnnotationsWarning, check_coco_format
from ltr_mm.utils.class_stats import ClassStats


def _build(tmp_path, data, **kwargs):
    ann = write_lvis(tmp_path, data)
    return CheckedLVISV1Dataset(**lvis_kwargs(tmp_path, ann, **kwargs))


def _raises(tmp_path, data, message, error=ValueError, **kwargs):
    with pytest.raises(error) as info:
        _build(tmp_path, data, **kwargs)
    assert str(info.value) == message.format(ann=tmp_path / 'ann.json')


def test_good_file_gives_mmdet_data_list(tmp_path):
    ann = write_lvis(tmp_path)
    kwargs = lvis_kwargs(tmp_path, ann, serialize_data=False,
                         filter_cfg=dict(filter_empty_gt=True, min_size=4))
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        ours = DATASETS.build(dict(type='CheckedLVISV1Dataset', **kwargs))
    theirs = LVISV1Dataset(**kwargs)
    assert len(ours) == 3
    assert ours.data_list == theirs.data_list
    assert ours.cat_ids == theirs.cat_ids and ours.cat2label == theirs.cat2label
    assert dict(ours.cat_img_map) == dict(theirs.cat_img_map)
    assert ours.data_list[0]['img_path'] == str(tmp_path / 'train2017/000000000001.jpg')


def test_annotation_without_category_id(tmp_path):
    data = lvis_dict()
    del data['annotations'][1]['category_id']
    _raises(tmp_path, data,
            '{ann}: field "annotations[1].category_id" is missing (annotation id 2)')


def test_annotation_without_bbox(tmp_path):
    data = lvis_dict()
    del data['annotations'][2]['bbox']
    _raises(tmp_path, data, '{ann}: field "annotations[2].bbox" is missing (annotation id 3)')


def test_bbox_that_is_not_four_numbers(tmp_path):
    data = lvis_dict()
    data['annotations'][0]['bbox'] = [1, 2, 5]
    _raises(tmp_path, data, '{ann}: field "annotations[0].bbox" = [1, 2, 5] is not '
            '[x, y, w, h] of 4 finite numbers (annotation id 1)')


def test_category_without_id(tmp_path):
    data = lvis_dict()
    del data['categories'][1]['id']
    _raises(tmp_path, data, '{ann}: field "categories[1].id" is missing (category '
            "{{'frequency': 'r', 'image_count': 1, 'instance_count': 1, 'name': 'dog'}})")


def test_no_images_key(tmp_path):
    data = lvis_dict()
    del data['images']
    _raises(tmp_path, data,
            '{ann}: field "images" is missing (the file has [\'annotations\', \'categories\'])')


def test_image_without_coco_url(tmp_path):
    data = lvis_dict()
    del data['images'][0]['coco_url']
    _raises(tmp_path, data, '{ann}: field "images[0].coco_url" is missing (image id 1)')


def test_unknown_category_id(tmp_path):
    data = lvis_dict()
    data['annotations'][3]['category_id'] = 7
    _raises(tmp_path, data, '{ann}: field "annotations[3].category_id" = 7 is not the id of any '
            'category (annotation id 4; 1 annotation(s) with an unknown category_id, values [7]; '
            'the file has 3 category ids)')


def test_unknown_image_id(tmp_path):
    data = lvis_dict()
    data['annotations'][0]['image_id'] = 9
    _raises(tmp_path, data, '{ann}: field "annotations[0].image_id" = 9 is not the id of any '
            'image (annotation id 1; 1 annotation(s) with an unknown image_id, values [9]; the '
            'file has 3 image ids)')


def test_duplicate_category_id(tmp_path):
    data = lvis_dict()
    data['categories'][2]['id'] = 1
    _raises(tmp_path, data,
            '{ann}: field "categories[2].id" = 1 duplicates categories[0].id (ids must be unique)')


def test_duplicate_annotation_id(tmp_path):
    data = lvis_dict()
    data['annotations'][2]['id'] = 1
    _raises(tmp_path, data, '{ann}: field "annotations[2].id" = 1 duplicates '
            'annotations[0].id (ids must be unique)')


def test_categories_that_do_not_fit_the_class_names(tmp_path):
    data = lvis_dict()
    data['categories'].append(dict(id=4, name='fox', frequency='r'))
    _raises(tmp_path, data, '{ann}: field "categories" = \'<4 entries>\' does not match the 3 '
            'names of metainfo["classes"] (labels follow the file\'s category order)')


def test_renamed_category_only_warns(tmp_path):
    data = lvis_dict()
    data['categories'][0]['name'] = 'kitten'
    with pytest.warns(UserWarning) as record:
        dataset = _build(tmp_path, data)
    assert len(dataset) == 3
    assert str(record[0].message) == (
        f'{tmp_path / "ann.json"}: field "categories[0].name" = \'kitten\' differs from '
        'metainfo["classes"][0] = \'cat\' (1 names differ; labels follow the file\'s category '
        'order)')


def test_zero_and_negative_boxes_are_skipped_with_one_warning(tmp_path):
    data = lvis_dict()
    data['annotations'][0]['bbox'] = [1, 2, 0, 5]
    data['annotations'][2]['bbox'] = [1, 2, 5, -3]
    data['annotations'][3]['area'] = 0
    with pytest.warns(SkippedAnnotationsWarning) as record:
        dataset = _build(tmp_path, data, serialize_data=False)
    assert len(record) == 1
    assert str(record[0].message) == (
        f'{tmp_path / "ann.json"}: 3 of 4 annotations are skipped by the loader: 2 with a '
        '"bbox" width or height < 1 (zero or negative included) (e.g. annotations[0], id 1: '
        'bbox = [1.0, 2.0, 0.0, 5.0], area = 80.0); 1 with "area" <= 0 (e.g. annotations[3], '
        'id 4: bbox = [2.0, 3.0, 10.0, 8.0], area = 0.0)')
    # the loader drops exactly those: only annotation 2 (category 2, image 1) is left
    assert [[i['bbox_label'] for i in d['instances']] for d in dataset.data_list] == [[1], [],
                                                                                      []]


def test_box_outside_its_image_is_counted(tmp_path):
    data = lvis_dict()
    data['annotations'][1]['bbox'] = [50, 3, 10, 8]  # the image is 40 wide
    with pytest.warns(SkippedAnnotationsWarning, match=r'1 of 4 annotations are skipped by the '
                      r'loader: 1 with the box outside its image \(e\.g\. annotations\[1\], id 2'):
        _build(tmp_path, data)


def test_images_missing_on_disk(tmp_path):
    ann = write_lvis(tmp_path)
    (tmp_path / 'train2017' / '000000000002.jpg').unlink()
    (tmp_path / 'train2017' / '000000000003.jpg').unlink()
    with pytest.raises(FileNotFoundError) as info:
        CheckedLVISV1Dataset(**lvis_kwargs(tmp_path, ann))
    assert str(info.value) == (
        f'{ann}: field "img_path" = \'{tmp_path}/train2017/000000000002.jpg\' is not a file on '
        'disk (image id 2, built from "coco_url"; 2 of 3 images are missing, ids [2, 3]; check '
        'data_root / data_prefix, or pass check_images=False to skip this check)')
    assert len(CheckedLVISV1Dataset(**lvis_kwargs(tmp_path, ann, check_images=False))) == 3


def test_training_set_empty_after_filtering(tmp_path):
    data = lvis_dict()
    data['annotations'] = []
    _raises(tmp_path, data, '{ann}: the training set of CheckedLVISV1Dataset is empty: all 3 '
            "images were removed by filter_cfg={{'filter_empty_gt': True, 'min_size': 32}} "
            '(images without usable boxes, or smaller than min_size)',
            filter_cfg=dict(filter_empty_gt=True, min_size=32))


def test_training_file_without_images(tmp_path):
    data = lvis_dict()
    data['images'], data['annotations'] = [], []
    _raises(tmp_path, data, '{ann}: the training set of CheckedLVISV1Dataset is empty: the '
            'file lists no sample')


def test_not_json(tmp_path):
    (tmp_path / 'ann.json').write_text('{"images": [')
    with pytest.raises(ValueError, match=r'ann\.json: not valid JSON \(Expecting value'):
        CheckedLVISV1Dataset(**lvis_kwargs(tmp_path, str(tmp_path / 'ann.json')))


def test_lvis_v05_reads_file_name(tmp_path):
    data = lvis_dict()
    for img in data['images']:
        img['file_name'] = f'COCO_train2014_{img.pop("coco_url")[-16:]}'
    ann = write_lvis(tmp_path, data)
    dataset = CheckedLVISV05Dataset(**lvis_kwargs(tmp_path, ann, check_images=False))
    assert dataset.get_data_info(0)['img_path'] == str(tmp_path / '000000000001.jpg')
    del data['images'][1]['file_name']
    write_lvis(tmp_path, data)
    with pytest.raises(ValueError, match=r'field "images\[1\]\.file_name" is missing \(image id'):
        CheckedLVISV05Dataset(**lvis_kwargs(tmp_path, ann, check_images=False))


def test_coco_class_name_missing_from_file(tmp_path):
    data = lvis_dict()
    for img in data['images']:
        img['file_name'] = img.pop('coco_url')[-16:]
    ann = write_lvis(tmp_path, data)
    kwargs = dict(lvis_kwargs(tmp_path, ann), metainfo=dict(classes=('cat', 'owl')),
                  check_images=False)
    with pytest.raises(ValueError) as info:
        CheckedCocoDataset(**kwargs)
    assert str(info.value) == (f'{ann}: field "categories[].name" = \'owl\' is not a category '
                               'name (metainfo["classes"][1]; 1 of 2 class names are missing)')


def test_check_coco_format_on_a_dict():
    assert check_coco_format(lvis_dict(), 'mem.json', 'coco_url', CLASSES) == 0
    with pytest.raises(ValueError, match=r'^mem\.json: field "<root>" = \[\] is not a JSON'):
        check_coco_format([], 'mem.json')
    with pytest.raises(ValueError, match=r'^mem\.json: field "annotations" = \{\} is not a list'):
        check_coco_format(dict(lvis_dict(), annotations={}), 'mem.json')


def test_bags_counts_reader_checks_the_file(tmp_path):
    data = lvis_dict()
    ann = write_lvis(tmp_path, data, images=False)
    assert ClassStats.from_file(ann).counts == (1, 1, 1)
    for cat in data['categories']:
        del cat['instance_count']
    data['annotations'][3]['category_id'] = 9
    (tmp_path / 'ann.json').write_text(json.dumps(data))
    with pytest.raises(ValueError) as info:
        ClassStats.from_file(ann)
    assert str(info.value) == (
        f'{ann}: field "annotations[3].category_id" = 9 is not the id of any category '
        '(annotation id 4; 1 annotation(s) with an unknown category_id, values [9]; the file '
        'has 3 category ids)')


def test_bags_counts_reader_checks_instance_counts(tmp_path):
    data = lvis_dict()
    data['categories'][1]['instance_count'] = -4
    ann = write_lvis(tmp_path, data, images=False)
    with pytest.raises(ValueError) as info:
        ClassStats.from_file(ann)
    assert str(info.value) == (f'{ann}: field "categories[1].instance_count" = -4 is not a '
                               'non-negative integer (category id 2)')
    data['categories'][1]['instance_count'] = 4
    data['categories'][2]['id'] = 2
    write_lvis(tmp_path, data, images=False)
    with pytest.raises(ValueError, match=r'field "categories\[2\]\.id" = 2 duplicates '
                       r'categories\[1\]\.id'):
        ClassStats.from_file(ann)


def test_read_json_section(tmp_path):
    from ltr_mm.utils.json_section import read_json_section
    path = tmp_path / 'a.json'
    path.write_text(json.dumps(dict(images=[1, 2], categories=[dict(id=1, name='categories')],
                                    n=12345)))
    assert read_json_section(str(path), 'categories') == [dict(id=1, name='categories')]
    assert read_json_section(str(path), 'n', chunk=3) == 12345  # never cut inside a value
    assert read_json_section(str(path), 'annotations') is None
    path.write_text(json.dumps(dict(info=dict(categories=[]), categories=[1])))
    assert read_json_section(str(path), 'categories') is None  # ambiguous: parse it all
    path.write_text('{"categories": [1, 2')
    assert read_json_section(str(path), 'categories', chunk=4) is None

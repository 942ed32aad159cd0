"""Checks of a loaded data list: not empty for training, every image file on disk."""
import os.path as osp
from typing import Any, List, Optional, Sequence

from mmengine.fileio import exists

from ltr_mm.utils.bad_input import field_error, short_repr


def check_not_empty(data_list: Sequence[Any], source: str, dataset: str,
                    test_mode: bool = False, loaded: Optional[int] = None,
                    filter_cfg: Optional[dict] = None) -> None:
    """Raise ``ValueError`` naming ``source`` when a data list is empty.

    mmengine cannot serialise an empty list either, but its error names no file.

    Args:
        data_list: the data list after filtering.
        source: the annotation / list file.
        dataset: dataset class name, for the message.
        test_mode: whether it is a test / validation set (only changes the message).
        loaded: number of samples before filtering, if filtering happened.
        filter_cfg: the filter settings that removed them, for the message.
    """
    if len(data_list):
        return
    if loaded:
        why = (f'all {loaded} images were removed by filter_cfg={filter_cfg} (images without '
               'usable boxes, or smaller than min_size)')
    else:
        why = 'the file lists no sample'
    split = 'test' if test_mode else 'training'
    raise ValueError(f'{source}: the {split} set of {dataset} is empty: {why}')


def missing_files(paths: Sequence[str], backend_args: Optional[dict] = None) -> List[int]:
    """Indices of ``paths`` that are not files (one ``stat`` each, local disk by default)."""
    if backend_args is None:
        return [i for i, p in enumerate(paths) if not osp.isfile(p)]
    return [i for i, p in enumerate(paths) if not exists(p, backend_args=backend_args)]


def check_image_files(data_list: Sequence[dict], source: str, origin: str = 'img_path',
                      backend_args: Optional[dict] = None) -> None:
    """Raise ``FileNotFoundError`` naming the file, field and path of a missing image.

    Costs one ``stat`` per image (about a second for 100,000 images on a local disk); the
    datasets that call it take ``check_images=False`` to skip it on slow file systems.

    Args:
        data_list: data infos with ``img_path`` (and ``img_id`` if known).
        source: the annotation / list file the paths come from.
        origin: the field of ``source`` the paths were built from, for the message.
        backend_args: mmengine file backend arguments; None checks the local disk.
    """
    paths = [info['img_path'] for info in data_list]
    missing = missing_files(paths, backend_args)
    if not missing:
        return
    first = data_list[missing[0]]
    ids = [data_list[i].get('img_id', i) for i in missing]
    raise field_error(
        source, 'img_path', first['img_path'],
        f'is not a file on disk (image id {first.get("img_id")}, built from "{origin}"; '
        f'{len(missing)} of {len(paths)} images are missing, ids {short_repr(ids)}; '
        'check data_root / data_prefix, or pass check_images=False to skip this check)',
        FileNotFoundError)

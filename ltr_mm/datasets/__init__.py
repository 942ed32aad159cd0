"""Datasets (mmdet's LVIS / COCO with checks; mmpretrain's long-tailed sets), imported on use."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'CheckedCocoDataset': '.checked_coco_dataset',
    'CheckedLVISV05Dataset': '.checked_lvis_v05_dataset',
    'CheckedLVISV1Dataset': '.checked_lvis_v1_dataset',
    'CIFAR100LT': '.cifar100_lt',
    'CIFAR10LT': '.cifar10_lt',
    'FashionMNISTLT': '.fashion_mnist_lt',
    'ImageNetLT': '.imagenet_lt',
    'INat18': '.inat18',
    'LTJsonDataset': '.lt_json_dataset',
    'PlacesLT': '.places_lt',
    'samplers': '.samplers',
    'validation': '.validation',
})

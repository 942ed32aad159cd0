from .checked_coco_dataset import CheckedCocoDataset  # noqa: F401
from .checked_lvis_v05_dataset import CheckedLVISV05Dataset  # noqa: F401
from .checked_lvis_v1_dataset import CheckedLVISV1Dataset  # noqa: F401
from .cifar100_lt import CIFAR100LT  # noqa: F401
from .cifar10_lt import CIFAR10LT  # noqa: F401
from .fashion_mnist_lt import FashionMNISTLT  # noqa: F401
from .imagenet_lt import ImageNetLT  # noqa: F401
from .inat18 import INat18  # noqa: F401
from .lt_json_dataset import LTJsonDataset  # noqa: F401
from .places_lt import PlacesLT  # noqa: F401
from . import samplers, validation  # noqa: F401

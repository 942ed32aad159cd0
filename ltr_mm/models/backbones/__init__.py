"""mmpretrain backbones."""
from ltr_mm.utils.lazy_exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    'LTResNet': '.lt_resnet',
    'ResNetCifarLDAM': '.resnet_cifar_ldam',
    'RIDEResNet': '.ride_resnet',
    'RIDEResNetCifar': '.ride_resnet_cifar',
})

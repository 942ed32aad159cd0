from .resnet_cifar_ldam import ResNetCifarLDAM  # noqa: F401
from .ride_resnet import RIDEResNet  # noqa: F401
from .ride_resnet_cifar import RIDEResNetCifar  # noqa: F401
from .lt_resnet import LTResNet  # noqa: F401

from .resnet_cifar_ldam import ResNetCifarLDAM  # noqa: F401

"""mmpretrain's ImageNet ResNet with the ResNet-10 of the long-tail literature added."""
from mmpretrain.models.backbones.resnet import BasicBlock, ResNet

from ltr_mm.registry import CLS_MODELS, register


@register(CLS_MODELS)
class LTResNet(ResNet):
    """mmpretrain ``ResNet`` that also builds ``depth=10``, the ResNet-10 of `Decoupling
    <https://arxiv.org/abs/1910.09217>`_ used on ImageNet-LT by Decoupling, RIDE and
    BagofTricks-LT / FCC.

    Depth 10 is the usual 7x7/2 stem with 3x3/2 max-pool followed by one ``BasicBlock`` per
    stage (planes 64 / 128 / 256 / 512, 1x1-conv + BN projection shortcuts where the shape
    changes), so the last stage gives a 512-d feature. Every other depth (18, 34, 50, 101,
    152) and argument is mmpretrain's ``ResNet`` unchanged, so checkpoints are interchangeable
    with it. Use :class:`RIDEResNet` for the multi-expert version.

    Example:
        >>> import torch
        >>> net = LTResNet(depth=10).eval()
        >>> net(torch.zeros(1, 3, 224, 224))[-1].shape
        torch.Size([1, 512, 7, 7])
    """

    arch_settings = {10: (BasicBlock, (1, 1, 1, 1)), **ResNet.arch_settings}

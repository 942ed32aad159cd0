"""The shared-FC feature of a ``Shared2FCBBoxHead``: the input of both ``fc_cls`` and ``fc_reg``."""
from mmdet.models.roi_heads.bbox_heads import ConvFCBBoxHead
from torch import Tensor


def shared_fc_feat(head: ConvFCBBoxHead, x: Tensor) -> Tensor:
    """RoI features through ``head``'s optional average pool and its shared FCs (with ReLU).

    Args:
        head: a box head without shared convs (``num_shared_convs == 0``).
        x: RoI features of shape ``(N, C, H, W)``.

    Returns:
        Tensor: features of shape ``(N, fc_out_channels)``.
    """
    if head.with_avg_pool:
        x = head.avg_pool(x)
    x = x.flatten(1)
    for fc in head.shared_fcs:
        x = head.relu(fc(x))
    return x

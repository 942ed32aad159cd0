"""Image classifier that hands the labels to a training-time feature transform."""
from typing import List, Optional

import torch
import torch.nn as nn
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.structures import DataSample

from ltr_mm.registry import CLS_MODELS, register


@register(CLS_MODELS)
class LTImageClassifier(ImageClassifier):
    """``ImageClassifier`` with a label-aware feature transform between backbone and neck.

    mmpretrain necks only see features, so methods that change training features by class,
    such as FCC (:class:`~ltr_mm.models.layers.FeatureClusterCompression`), plug in here:
    :meth:`loss` computes ``neck(feat_transform(backbone(x), labels))`` and passes it to
    ``head.loss``. :meth:`predict`, :meth:`extract_feat` and ``mode='tensor'`` never call the
    transform, so test-time features are unchanged. Labels are ``gt_label`` of each sample
    (under mixup-style batch augments, the first, un-permuted label). Any head and loss can be
    combined with the transform. Without ``feat_transform`` the model is an
    ``ImageClassifier``, and checkpoints are interchangeable in both directions (the
    transform holds no saved state).

    Args:
        backbone (dict): Backbone config.
        feat_transform (dict | nn.Module, optional): Module called as
            ``transform(feats, labels)`` on the backbone outputs during training.
            Defaults to None.
        **kwargs: ``neck``, ``head``, ``pretrained``, ``train_cfg``, ``data_preprocessor`` and
            ``init_cfg`` of ``mmpretrain.models.ImageClassifier``.
    """

    def __init__(self,
                 backbone: dict,
                 feat_transform: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(backbone, **kwargs)
        if feat_transform is not None and not isinstance(feat_transform, nn.Module):
            feat_transform = CLS_MODELS.build(feat_transform)
        self.feat_transform = feat_transform

    @property
    def with_feat_transform(self) -> bool:
        """Whether a feature transform is configured."""
        return self.feat_transform is not None

    def loss(self, inputs: torch.Tensor, data_samples: List[DataSample]) -> dict:
        """Losses of a batch, with the feature transform applied to the backbone outputs.

        Args:
            inputs (torch.Tensor): Images of shape ``(N, C, H, W)``.
            data_samples (List[DataSample]): Samples carrying ``gt_label``.

        Returns:
            dict[str, Tensor]: Loss components of the head.
        """
        if not self.with_feat_transform:
            return super().loss(inputs, data_samples)
        feats = self.backbone(inputs)
        labels = torch.cat([sample.gt_label for sample in data_samples]).to(inputs.device)
        feats = self.feat_transform(tuple(feats), labels)
        if self.with_neck:
            feats = self.neck(feats)
        return self.head.loss(feats, data_samples)

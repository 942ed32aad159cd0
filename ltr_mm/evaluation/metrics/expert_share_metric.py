"""Share of samples that used k experts under RIDE's dynamic expert assignment."""
from typing import Any, Dict, List, Optional, Sequence

import torch
from mmengine.evaluator import BaseMetric
from torch import Tensor

from ltr_mm.registry import CLS_METRICS, register


@register(CLS_METRICS)
class ExpertShareMetric(BaseMetric):
    """Fraction of the evaluated samples that used exactly k = 1..E experts.

    ``RIDEClassifier`` with a router and ``test_cfg['dynamic']`` (RIDE stage 2) writes into
    every prediction how many experts it ran (the ``num_experts`` metainfo field). This metric
    collects that number per sample, gathers it over all ranks like any mmengine metric, and
    reports the shares, which ``tools/analysis_tools/get_flops.py --ea-share`` turns into the
    routed GFLOPs. Used beside the accuracy metric::

        val_evaluator = [dict(type='ShotAccuracy'), dict(type='ExpertShareMetric', num_experts=3)]

    Keys: ``ride/expert_share_1`` .. ``ride/expert_share_E`` (fractions summing to 1, all zero
    without samples) and ``ride/mean_experts`` (mean number of experts per sample).

    Args:
        num_experts (int): number of experts E of the model.
        collect_device (str): ``'cpu'`` or ``'gpu'``, for gathering results across ranks.
            Defaults to 'cpu'.
        prefix (str, optional): key prefix. Defaults to None, i.e. ``'ride'``.

    Example:
        >>> metric = ExpertShareMetric(num_experts=3)
        >>> metric.process(None, [dict(num_experts=k) for k in (1, 1, 3, 2)])
        >>> metric.evaluate(4)['ride/expert_share_1']
        0.5
    """

    default_prefix: Optional[str] = 'ride'

    def __init__(self, num_experts: int, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not isinstance(num_experts, int) or num_experts < 1:
            raise ValueError(f'ExpertShareMetric: num_experts must be a positive integer, got '
                             f'{num_experts!r}')
        self.num_experts = num_experts

    def process(self, data_batch: Any, data_samples: Sequence[Any]) -> None:
        """Keep the number of experts each prediction used.

        Args:
            data_batch: the input batch (unused).
            data_samples: predictions (dicts or ``DataSample``) with ``num_experts``.
        """
        for sample in data_samples:
            used = sample.get('num_experts')
            if used is None:
                raise ValueError('ExpertShareMetric: prediction has no num_experts; it needs '
                                 'a RIDEClassifier with a router and test_cfg.dynamic=True')
            used = int(used)
            if not 1 <= used <= self.num_experts:
                raise ValueError(f'ExpertShareMetric: a prediction used {used} experts, '
                                 f'outside 1..num_experts={self.num_experts}')
            self.results.append(used)

    @staticmethod
    def calculate(num_used: Tensor, num_experts: int) -> List[float]:
        """Fraction of samples that used exactly k experts, for k = 1..E.

        Args:
            num_used: (N,) number of experts each sample used.
            num_experts: number of experts E.

        Returns:
            list[float]: E fractions summing to 1 (all zero for an empty input).
        """
        hist = torch.bincount(num_used.long().flatten().cpu(), minlength=num_experts + 1)[1:]
        total = max(int(hist.sum()), 1)
        return [float(h) / total for h in hist[:num_experts]]

    def compute_metrics(self, results: List[int]) -> Dict[str, float]:
        """Shares and mean number of experts over the gathered results.

        Args:
            results: experts used per sample, from every rank.

        Returns:
            dict: ``expert_share_k`` for k = 1..E and ``mean_experts``.
        """
        used = torch.tensor(results, dtype=torch.long)
        shares = self.calculate(used, self.num_experts)
        metrics = {f'expert_share_{k}': share for k, share in enumerate(shares, start=1)}
        metrics['mean_experts'] = float(used.double().mean()) if len(results) else 0.0
        return metrics

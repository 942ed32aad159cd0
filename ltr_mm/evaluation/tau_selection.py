"""Choose the tau of tau-normalisation on a held-out split, as Decoupling does.

tau-norm (``LTLinearClsHead`` with ``test_cfg.tau_norm``) is a test-time knob. Its value is
read off a validation split: the features of the split are computed once
(:func:`collect_features`), the head scores them at every candidate tau (:func:`tau_sweep`)
and :func:`best_tau` takes the tau with the highest class-mean top-1.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
from torch import Tensor


@torch.no_grad()
def collect_features(model, dataloader) -> Tuple[Tuple[Tensor], Tensor]:
    """The head input of every sample of ``dataloader`` and its ground-truth label.

    Args:
        model: an mmpretrain classifier (``data_preprocessor`` and ``extract_feat``), put in
            eval mode here.
        dataloader: the split to read.

    Returns:
        tuple: ``((feats,), labels)``: the last ``extract_feat`` output of all samples,
        concatenated (what ``ClsHead.pre_logits`` reads), and their labels ``(N,)``.
    """
    model.eval()
    feats, labels = [], []
    for batch in dataloader:
        data = model.data_preprocessor(batch, False)
        feats.append(model.extract_feat(data['inputs'])[-1])
        labels.append(torch.cat([s.gt_label.view(-1) for s in data['data_samples']]))
    if not feats:
        raise ValueError('the dataloader of the tau-norm split yields no samples')
    return (torch.cat(feats),), torch.cat(labels)


def class_mean_top1(pred: Tensor, labels: Tensor, num_classes: int) -> float:
    """Mean over the classes present in ``labels`` of their top-1 accuracy, in percent."""
    correct = torch.bincount(labels[pred == labels], minlength=num_classes).float()
    total = torch.bincount(labels, minlength=num_classes).float()
    present = total > 0
    return float((correct[present] / total[present]).mean() * 100)


@torch.no_grad()
def tau_sweep(head, feats: Tuple[Tensor, ...], labels: Tensor, taus: Sequence[float],
              keep_bias: Optional[bool] = None) -> List[Dict[str, float]]:
    """Top-1 of ``head`` on ``feats`` at every tau of ``taus``.

    Each tau is scored through ``head.predict`` with ``test_cfg.tau_norm`` set to it (and
    ``test_cfg.keep_bias`` to ``keep_bias`` unless None), so every other test-time option of
    the head (logit adjustment) applies as at test time. ``head.test_cfg`` is restored after.

    Returns:
        list[dict]: one ``{'tau', 'top1', 'class_mean_top1'}`` per tau, in percent.
    """
    saved = dict(head.test_cfg)
    rows = []
    try:
        for tau in taus:
            head.test_cfg['tau_norm'] = float(tau)
            if keep_bias is not None:
                head.test_cfg['keep_bias'] = bool(keep_bias)
            pred = torch.cat([s.pred_label.view(-1) for s in head.predict(feats)])
            rows.append(dict(tau=float(tau),
                             top1=float((pred == labels).float().mean() * 100),
                             class_mean_top1=class_mean_top1(pred, labels, head.num_classes)))
    finally:
        head.test_cfg.clear()
        head.test_cfg.update(saved)
    return rows


def best_tau(rows: Sequence[Dict[str, float]]) -> float:
    """The tau of the highest class-mean top-1; among equals, the smallest tau."""
    if not rows:
        raise ValueError('no tau was scored')
    best = max(rows, key=lambda r: (r['class_mean_top1'], -r['tau']))
    return best['tau']

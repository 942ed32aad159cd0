"""Choose a test-time knob of a classification head on a held-out split.

tau-norm's ``tau`` (with or without the bias) of ``LTLinearClsHead`` and TDE's ``alpha`` of
``TDEClsHead`` change only the head's ``test_cfg``. Decoupling chooses tau and TDE chooses
alpha on a validation split; so does ltr_mm. The features of the split are computed once
(:func:`collect_features`), the head scores them at every candidate value
(:func:`sweep_test_cfg`) and :func:`best_value` takes the value with the highest class-mean
top-1 (ties: the smallest value, the weakest re-balancing). :func:`choose_tau_norm` and
:func:`choose_alpha` do the whole choice and leave the chosen values in the head's
``test_cfg``.
"""
from typing import Any, Dict, List, Optional, Sequence, Tuple

import torch
from torch import Tensor

# the candidate values scored by default: tau-norm's tau and TDE's alpha, 0 .. 2 / 0 .. 3 by 0.1
DEFAULT_TAUS = [round(0.1 * i, 1) for i in range(21)]
DEFAULT_ALPHAS = [round(0.1 * i, 1) for i in range(31)]


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
        raise ValueError('the dataloader of the selection split yields no samples')
    return (torch.cat(feats),), torch.cat(labels)


def class_mean_top1(pred: Tensor, labels: Tensor, num_classes: int) -> float:
    """Mean over the classes present in ``labels`` of their top-1 accuracy, in percent."""
    correct = torch.bincount(labels[pred == labels], minlength=num_classes).float()
    total = torch.bincount(labels, minlength=num_classes).float()
    present = total > 0
    return float((correct[present] / total[present]).mean() * 100)


@torch.no_grad()
def sweep_test_cfg(head, feats: Tuple[Tensor, ...], labels: Tensor, key: str,
                   values: Sequence[float], **fixed: Any) -> List[Dict[str, float]]:
    """Top-1 of ``head`` on ``feats`` with ``test_cfg[key]`` set to each of ``values``.

    Each value is scored through ``head.predict`` (with the ``fixed`` test_cfg entries set as
    well), so every other test-time option of the head applies as at test time.
    ``head.test_cfg`` is restored after.

    Returns:
        list[dict]: one ``{'value', 'top1', 'class_mean_top1'}`` per value, in percent.
    """
    saved = dict(head.test_cfg)
    rows = []
    try:
        head.test_cfg.update(fixed)
        for value in values:
            head.test_cfg[key] = float(value)
            pred = torch.cat([s.pred_label.view(-1) for s in head.predict(feats)])
            rows.append(dict(value=float(value),
                             top1=float((pred == labels).float().mean() * 100),
                             class_mean_top1=class_mean_top1(pred, labels, head.num_classes)))
    finally:
        head.test_cfg.clear()
        head.test_cfg.update(saved)
    return rows


def best_value(rows: Sequence[Dict[str, float]], key: str = 'class_mean_top1') -> float:
    """The value of the highest ``key`` (class-mean top-1); among equals, the smallest value."""
    if not rows:
        raise ValueError('no value was scored')
    return max(rows, key=lambda r: (r[key], -r['value']))['value']


def choose_tau_norm(head, feats: Tuple[Tensor, ...], labels: Tensor, taus: Sequence[float],
                    keep_bias: Optional[bool] = None) -> Dict[str, Any]:
    """Choose tau (and, if ``keep_bias`` is None, whether the bias is kept) and set them.

    With ``keep_bias`` None every tau is scored with the bias kept and dropped and the pair of
    the highest class-mean top-1 wins (ties: the bias kept, then the smallest tau).

    Returns:
        dict: ``tau``, ``keep_bias`` and ``sweeps`` (the rows of each bias setting scored,
        keyed ``'kept'`` / ``'dropped'``).
    """
    options = (True, False) if keep_bias is None else (bool(keep_bias),)
    sweeps = {keep: sweep_test_cfg(head, feats, labels, 'tau_norm', taus, keep_bias=keep)
              for keep in options}
    keep = max(options, key=lambda k: (max(r['class_mean_top1'] for r in sweeps[k]), k))
    tau = best_value(sweeps[keep])
    head.test_cfg.update(tau_norm=tau, keep_bias=keep)
    return dict(tau=tau, keep_bias=keep,
                sweeps={'kept' if k else 'dropped': rows for k, rows in sweeps.items()})


def choose_alpha(head, feats: Tuple[Tensor, ...], labels: Tensor,
                 alphas: Sequence[float]) -> Dict[str, Any]:
    """Choose TDE's ``alpha`` and set it.

    Returns:
        dict: ``alpha`` and ``sweep`` (the rows scored).
    """
    rows = sweep_test_cfg(head, feats, labels, 'alpha', alphas)
    alpha = best_value(rows)
    head.test_cfg['alpha'] = alpha
    return dict(alpha=alpha, sweep=rows)

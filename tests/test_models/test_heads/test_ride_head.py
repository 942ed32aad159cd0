"""RIDEHead (per-expert cosine classifier) and RIDERouter."""
import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

import ltr_mm  # noqa: F401
from ltr_mm.registry import CLS_MODELS


def _head(**kwargs):
    cfg = dict(type='RIDEHead', num_classes=4, in_channels=6, num_experts=3,
               loss=dict(type='RIDELoss', class_counts=[8, 4, 2, 1]))
    cfg.update(kwargs)
    return CLS_MODELS.build(cfg)


def test_cosine_logits_mean_and_expert_logits():
    torch.manual_seed(0)
    head = _head()
    feats = (torch.randn(5, 3, 6), )
    experts = head.forward_experts(feats)
    assert experts.shape == (5, 3, 4)
    for i in range(3):
        want = 30 * F.normalize(feats[0][:, i], dim=-1) @ F.normalize(head.weight[i], dim=-1).t()
        assert torch.allclose(experts[:, i], want, atol=1e-5)
        assert torch.allclose(head.expert_logits(feats[0][:, i], i), want, atol=1e-5)
    assert experts.abs().max() <= 30 + 1e-4
    assert torch.allclose(head(feats), experts.mean(1))


def test_loss_gets_expert_logits_and_predict():
    torch.manual_seed(0)
    head = _head(cal_acc=True)
    seen = {}
    original = head.loss_module.forward

    def spy(cls_score, label, **kwargs):
        seen['shape'] = tuple(cls_score.shape)
        return original(cls_score, label, **kwargs)

    head.loss_module.forward = spy
    samples = [DataSample().set_gt_label(i % 4) for i in range(5)]
    losses = head.loss((torch.randn(5, 3, 6), ), samples)
    assert seen['shape'] == (5, 3, 4)
    assert set(losses) == {'loss', 'accuracy_top-1'}
    preds = head.predict((torch.randn(5, 3, 6), ), samples)
    assert preds[0].pred_score.shape == (4, )


def test_linear_variant():
    head = _head(use_norm=False)
    assert head.scale == 1.0 and head.bias.shape == (3, 4)
    x = torch.randn(2, 3, 6)
    want = x[:, 1] @ head.weight[1].t() + head.bias[1]
    assert torch.allclose(head.forward_experts((x, ))[:, 1], want, atol=1e-5)


def test_router_inputs_loss_and_shared_fc():
    torch.manual_seed(0)
    router = CLS_MODELS.build(dict(type='RIDERouter', in_channels=6, num_classes=4,
                                   num_experts=3, top_k=30, hidden_channels=5))
    assert router.top_k == 4 and len(router.pred_fcs) == 1 and len(router.feat_fcs) == 2
    feat, logits = torch.randn(2, 6), torch.randn(2, 4)
    hidden = F.relu(router.feat_fcs[1](F.normalize(feat, dim=-1)))
    top = logits.sort(dim=-1, descending=True).values
    want = router.pred_fcs[0](torch.cat([hidden, top], -1)).squeeze(-1)
    assert torch.allclose(router(1, feat, logits), want)
    # all-zero router output: BCE = pos_weight * log 2 on positives, log 2 on negatives
    for fc in list(router.pred_fcs):
        torch.nn.init.zeros_(fc.weight)
        torch.nn.init.zeros_(fc.bias)
    z = torch.tensor([[[0., 1.], [3., 0.], [0., 5.]]]).repeat(1, 1, 2)  # 4 classes
    out = router.loss(torch.randn(1, 3, 6), z, torch.tensor([0]))
    want = (100 * torch.log(torch.tensor(2.)) + torch.log(torch.tensor(2.))) / 2
    assert torch.allclose(out['loss_router'], want)
    assert out['router_pos_rate'].item() == 0.5

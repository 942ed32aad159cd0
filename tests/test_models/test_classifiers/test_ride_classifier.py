"""RIDEClassifier: frozen eval-mode teacher counted once and kept out of checkpoints, stage-2
freezing, dynamic inference and ExpertShareMetric."""
import copy

import pytest
import torch
from mmengine.evaluator import Evaluator
from mmpretrain.structures import DataSample

import ltr_mm  # noqa: F401
from ltr_mm.evaluation.metrics import ExpertShareMetric
from ltr_mm.models.functional.ride_terms import distill_kl
from ltr_mm.registry import CLS_METRICS, CLS_MODELS


def _cfg(num_experts=3, **kwargs):
    cfg = dict(type='RIDEClassifier',
               backbone=dict(type='RIDEResNetCifar', depth=8, num_experts=num_experts),
               head=dict(type='RIDEHead', num_classes=4, in_channels=48,
                         num_experts=num_experts,
                         loss=dict(type='RIDELoss', class_counts=[40, 20, 10, 5])))
    cfg.update(kwargs)
    return cfg


def _batch(n=4):
    torch.manual_seed(1)
    return torch.randn(n, 3, 32, 32), [DataSample().set_gt_label(i % 4) for i in range(n)]


@pytest.fixture()
def distill_model(tmp_path):
    torch.manual_seed(0)
    teacher = CLS_MODELS.build(_cfg(2))
    path = str(tmp_path / 'teacher.pth')
    torch.save(dict(state_dict=teacher.state_dict()), path)
    model = CLS_MODELS.build(_cfg(teacher=dict(model=_cfg(2), checkpoint=path)))
    return model, teacher


def test_teacher_loaded_hidden_frozen_eval(distill_model):
    model, reference = distill_model
    x, samples = _batch()
    with pytest.raises(RuntimeError):
        model.loss(x, samples)
    model.init_weights()
    for k, v in reference.state_dict().items():
        assert torch.equal(model.teacher.state_dict()[k], v)
    assert not any(k.startswith('teacher') for k in model.state_dict())
    teacher_ids = {id(p) for p in model.teacher.parameters()}
    assert teacher_ids and all(p.requires_grad for p in model.parameters()
                               if id(p) not in teacher_ids)
    assert not any(p.requires_grad for p in model.teacher.parameters())
    model.train()
    assert model.training and not model.teacher.training
    stats = copy.deepcopy(model.teacher.backbone.bn1.state_dict())
    losses = model.loss(x, samples)
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    for k, v in stats.items():
        assert torch.equal(model.teacher.backbone.bn1.state_dict()[k], v)
    # distillation counted once, on the mean student logits
    with torch.no_grad():
        student = model.head(model.extract_feat(x))
        teacher = model.teacher(x, mode='tensor')
    assert torch.allclose(losses['loss_distill'], distill_kl(student, teacher, 1.5).mean(),
                          atol=1e-5)
    model.double()
    assert model.teacher.backbone.conv1.weight.dtype == torch.float64


def test_teacher_spec_errors():
    with pytest.raises(ValueError):
        CLS_MODELS.build(_cfg(teacher=dict(model=_cfg(2))))


def _routed(bias):
    model = CLS_MODELS.build(_cfg(router=dict(type='RIDERouter', in_channels=48,
                                              num_classes=4, num_experts=3)))
    torch.nn.init.zeros_(model.router.pred_fcs[0].weight)
    torch.nn.init.constant_(model.router.pred_fcs[0].bias, bias)
    return model


def test_stage_two_freezes_stage_one():
    model = _routed(0.0)
    model.train()
    assert not model.backbone.training and not model.head.training
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all(n.startswith('router.') for n in trainable)
    stats = copy.deepcopy(model.backbone.bn1.state_dict())
    x, samples = _batch()
    losses = model.loss(x, samples)
    assert set(losses) == {'loss_router', 'router_pos_rate'}
    losses['loss_router'].backward()
    assert model.router.pred_fcs[0].weight.grad is not None
    assert all(p.grad is None for p in model.backbone.parameters())
    for k, v in stats.items():
        assert torch.equal(model.backbone.bn1.state_dict()[k], v)


def _shares(preds, num_experts=3):
    """ExpertShareMetric over ``preds`` run through an mmengine Evaluator (dicts, as in runs)."""
    evaluator = Evaluator(CLS_METRICS.build(dict(type='ExpertShareMetric',
                                                 num_experts=num_experts)))
    evaluator.process(preds)
    metrics = evaluator.evaluate(len(preds))
    return [metrics[f'ride/expert_share_{k}'] for k in range(1, num_experts + 1)]


@pytest.mark.parametrize('bias,share', [(10.0, [0.0, 0.0, 1.0]), (-10.0, [1.0, 0.0, 0.0])])
def test_dynamic_inference_share(bias, share):
    model = _routed(bias).eval()
    x, samples = _batch()
    preds = model.predict(x, copy.deepcopy(samples))
    used = share.index(1.0) + 1
    assert [p.num_experts for p in preds] == [used] * 4
    assert _shares(preds) == share
    with torch.no_grad():
        experts = model.head.forward_experts(model.extract_feat(x))
    want = experts[:, :used].mean(1).softmax(-1)
    got = torch.stack([p.pred_score for p in preds])
    assert torch.allclose(got, want, atol=1e-5)
    model.test_cfg['dynamic'] = False
    static = model.predict(x, copy.deepcopy(samples))
    assert torch.allclose(torch.stack([p.pred_score for p in static]),
                          experts.mean(1).softmax(-1), atol=1e-5)
    with pytest.raises(ValueError, match='no num_experts'):  # the metric needs routing
        _shares(static)


def test_expert_share_metric():
    metric = ExpertShareMetric(num_experts=3)
    metric.process(None, [dict(num_experts=k) for k in (1, 3, 3, 2)])
    assert metric.evaluate(4) == {'ride/expert_share_1': 0.25, 'ride/expert_share_2': 0.25,
                                  'ride/expert_share_3': 0.5, 'ride/mean_experts': 2.25}
    assert ExpertShareMetric.calculate(torch.zeros(0, dtype=torch.long), 2) == [0.0, 0.0]
    with pytest.raises(ValueError, match=r'used 4 experts, outside 1..num_experts=3'):
        metric.process(None, [dict(num_experts=4)])
    with pytest.raises(ValueError, match='num_experts must be a positive integer'):
        ExpertShareMetric(num_experts=0)


def test_teacher_kept_out_of_checkpoints(distill_model, tmp_path):
    """The teacher's weights never enter a student checkpoint and loading one (strictly, by
    torch or by mmengine) leaves the teacher as its own checkpoint made it."""
    from mmengine.runner.checkpoint import load_checkpoint, save_checkpoint
    model, reference = distill_model
    model.init_weights()
    plain = CLS_MODELS.build(_cfg())
    assert list(model.state_dict()) == list(plain.state_dict())
    assert not any(k.startswith('teacher') for k in model.state_dict()._metadata)
    # a student checkpoint (from a run without teacher) loads strictly ...
    torch.manual_seed(5)
    other = CLS_MODELS.build(_cfg())
    model.load_state_dict(other.state_dict(), strict=True)
    path = str(tmp_path / 'student.pth')
    save_checkpoint(other.state_dict(), path)
    load_checkpoint(model, path, strict=True)
    for k, v in other.state_dict().items():
        assert torch.equal(model.state_dict()[k], v)
    # ... and never touches the teacher, even when it carries teacher keys
    poisoned = dict(other.state_dict(), **{f'teacher.{k}': torch.zeros_like(v)
                                           for k, v in reference.state_dict().items()})
    model.load_state_dict(poisoned, strict=True)
    for k, v in reference.state_dict().items():
        assert torch.equal(model.teacher.state_dict()[k], v)
    # the teacher is a registered, frozen sub-module that follows the model
    assert dict(model.named_children())['teacher'] is model.teacher
    assert all(not p.requires_grad for p in model.teacher.parameters())
    copied = copy.deepcopy(model)
    assert list(copied.state_dict()) == list(plain.state_dict())


def test_teacher_from_config_file_relative_to_repo(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    spec = dict(config='configs/ride/ride-3e_resnet32_1xb128-6e_fashion-mnist-lt-r100.py',
                checkpoint=str(tmp_path / 'missing.pth'))
    model = CLS_MODELS.build(_cfg(teacher=spec))
    assert model.teacher.backbone.num_experts == 3 and not model.teacher.training
    with pytest.raises(FileNotFoundError):
        model.init_weights()


def test_dynamic_inference_matches_per_sample_routing():
    torch.manual_seed(3)
    model = _routed(0.0)
    torch.nn.init.normal_(model.router.pred_fcs[0].weight, std=2.0)
    model.eval()
    x, samples = _batch(8)
    with torch.no_grad():  # centre router 0's scores so that the batch splits
        feats = model.extract_feat(x)[0]
        scores = model.router(0, feats[:, 0], model.head.expert_logits(feats[:, 0], 0))
        model.router.pred_fcs[0].bias -= scores.median() + 1e-4
    preds = model.predict(x, copy.deepcopy(samples))
    with torch.no_grad():
        feats = model.extract_feat(x)[0]
        experts = model.head.forward_experts((feats, ))
        for n, pred in enumerate(preds):
            k = 1
            while k < 3 and torch.sigmoid(model.router(
                    k - 1, feats[n:n + 1, k - 1], experts[n:n + 1, :k].mean(1))) > 0.5:
                k += 1
            assert pred.num_experts == k
            assert torch.allclose(pred.pred_score, experts[n, :k].mean(0).softmax(-1),
                                  atol=1e-5)
    share = _shares(preds)
    assert share[0] > 0 and share[0] < 1  # a mixed batch: some samples stopped, some went on
    assert sum(share) == pytest.approx(1.0)
    assert share == [sum(p.num_experts == k for p in preds) / 8 for k in (1, 2, 3)]

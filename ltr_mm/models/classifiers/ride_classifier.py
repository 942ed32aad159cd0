"""Image classifier for RIDE: distillation teacher, expert assignment, dynamic inference."""
import copy
import os.path as osp
from typing import Any, Dict, List, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import load_checkpoint
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.structures import DataSample
from torch import Tensor

from ltr_mm.engine.checkpoint_loader import weights_only_checkpoints
from ltr_mm.models.functional.ride_routing import dynamic_expert_inference
from ltr_mm.registry import CLS_MODELS, register

TEACHER = 'teacher'


@register(CLS_MODELS)
class RIDEClassifier(ImageClassifier):
    """`RIDE <https://arxiv.org/abs/2010.01809>`_ classifier: ImageClassifier plus three options.

    * ``teacher``: ``dict(model=<model cfg> or config='<file.py>', checkpoint='<file.pth>')``.
      The teacher is built at construction as the sub-module :attr:`teacher`, its weights are
      loaded by ``init_weights()`` (the Runner calls it before training), and it stays frozen
      (``requires_grad=False``) and in eval mode. State-dict hooks keep it out of checkpoints:
      ``state_dict()`` drops its keys and ``load_state_dict()`` keeps its current weights, so
      student checkpoints have the same keys with and without a teacher. ``loss`` adds
      ``loss_distill`` = ``distill_loss`` (default :class:`RIDEDistillLoss`) on the mean
      student logits, once per batch.
    * ``router``: a :class:`RIDERouter` config. Stage 2 (expert assignment): backbone, neck
      and head are frozen (``requires_grad=False``, BN in eval mode) and ``loss`` returns
      only the router loss.
    * dynamic inference (router set and ``test_cfg['dynamic']``, default True): each sample
      adds experts until its router says stop (:func:`dynamic_expert_inference`). Each
      prediction gets a ``num_experts`` metainfo field with the number of experts it used;
      ``ExpertShareMetric`` turns them into the share of samples that used k experts.

    The backbone must be a RIDE backbone (``forward_trunk``/``forward_expert``) and the head a
    :class:`RIDEHead` for routing.

    Args:
        teacher (dict, optional): Teacher spec, see above. Defaults to None.
        distill_loss (dict): Distillation loss config. Defaults to
            ``dict(type='RIDEDistillLoss')``.
        router (dict, optional): Router config. Defaults to None.
        test_cfg (dict, optional): ``dynamic`` (bool, default True) and ``threshold`` (router
            probability above which one more expert runs, default 0.5). Defaults to None.
        **kwargs: ``backbone``, ``neck``, ``head``, ``train_cfg``, ``data_preprocessor``,
            ``init_cfg`` of :class:`ImageClassifier`.
    """

    def __init__(self, teacher: Optional[dict] = None,
                 distill_loss: dict = dict(type='RIDEDistillLoss'),
                 router: Optional[dict] = None, test_cfg: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.test_cfg = dict(dict(dynamic=True, threshold=0.5), **(test_cfg or {}))
        self.teacher: Optional[torch.nn.Module] = None
        self._teacher_checkpoint: Optional[str] = None
        self._teacher_loaded = False
        if teacher is not None:
            self._build_teacher(copy.deepcopy(dict(teacher)))
            self.distill_loss = CLS_MODELS.build(distill_loss)
            self._register_state_dict_hook(_drop_teacher_keys)
            self._register_load_state_dict_pre_hook(self._keep_teacher_weights)
        self.router = CLS_MODELS.build(router) if router is not None else None
        if self.router is not None:
            for module in (self.backbone, self.neck, self.head):
                for param in (module.parameters() if module is not None else []):
                    param.requires_grad = False

    def _build_teacher(self, spec: dict) -> None:
        """Build the teacher from ``spec['model']`` or the ``model`` of ``spec['config']``."""
        if 'checkpoint' not in spec or ('model' in spec) == ('config' in spec):
            raise ValueError("RIDEClassifier: teacher needs 'checkpoint' and exactly one of "
                             "'model' or 'config'")
        if 'config' in spec:
            path = spec['config']
            if not osp.isfile(path):  # relative to the repository root, as in the configs
                path = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.dirname(
                    osp.abspath(__file__))))), path)
            model_cfg = Config.fromfile(path).model
        else:
            model_cfg = spec['model']
        model_cfg = copy.deepcopy(dict(model_cfg))
        model_cfg.pop('data_preprocessor', None)
        teacher = CLS_MODELS.build(model_cfg)
        for param in teacher.parameters():
            param.requires_grad = False
        self.teacher = teacher.eval()
        self._teacher_checkpoint = spec['checkpoint']

    def _keep_teacher_weights(self, state_dict: Dict[str, Any], prefix: str, *args) -> None:
        """Load-state-dict pre-hook: the teacher keeps its own weights.

        Teacher entries of ``state_dict`` are replaced by the teacher's current tensors (added
        where missing), so a student checkpoint loads strictly and never changes the teacher.
        """
        head = prefix + TEACHER + '.'
        for key in [k for k in state_dict if k.startswith(head)]:
            del state_dict[key]
        for key, value in self.teacher.state_dict(keep_vars=True).items():
            state_dict[head + key] = value.detach()

    def init_weights(self) -> None:
        """Initialise the student, then load the teacher checkpoint."""
        super().init_weights()
        if self.teacher is not None and not self._teacher_loaded:
            with weights_only_checkpoints():
                load_checkpoint(self.teacher, self._teacher_checkpoint, map_location='cpu',
                                strict=True, revise_keys=[(r'^module\.', '')])
            self._teacher_loaded = True

    def train(self, mode: bool = True) -> 'RIDEClassifier':
        """Set the mode; the teacher and, with a router, the stage-1 model stay in eval."""
        super().train(mode)
        if self.teacher is not None:
            self.teacher.eval()
        if self.router is not None:
            for module in (self.backbone, self.neck, self.head):
                if module is not None:
                    module.eval()
        return self

    def loss(self, inputs: Tensor, data_samples: List[DataSample]) -> dict:
        """Stage-1 RIDE (+ distillation) loss, or the router loss in stage 2."""
        if self.router is not None:
            with torch.no_grad():
                feats = self.extract_feat(inputs)
                expert_logits = self.head.forward_experts(feats)
            label = torch.cat([s.gt_label for s in data_samples])
            return self.router.loss(feats[-1], expert_logits, label)
        feats = self.extract_feat(inputs)
        losses = self.head.loss(feats, data_samples)
        if self.teacher is not None:
            if not self._teacher_loaded:
                raise RuntimeError('RIDEClassifier: teacher weights not loaded; call '
                                   'init_weights() (the Runner does) first')
            with torch.no_grad():
                teacher_score = self.teacher(inputs, mode='tensor')
            student = self.head(feats)
            losses['loss_distill'] = self.distill_loss(student, teacher_score,
                                                       avg_factor=student.size(0))
        return losses

    def predict(self, inputs: Tensor, data_samples: Optional[List[DataSample]] = None,
                **kwargs) -> List[DataSample]:
        """Predict with every expert, or with dynamic expert assignment when routed."""
        if self.router is None or not self.test_cfg['dynamic']:
            return super().predict(inputs, data_samples, **kwargs)
        backbone, head = self.backbone, self.head
        trunk = backbone.forward_trunk(inputs)
        first = backbone.forward_expert(0, trunk)

        def run_expert(i: int, index: Tensor) -> Tuple[Tensor, Tensor]:
            feat = backbone.forward_expert(i, trunk[index])
            return feat, head.expert_logits(feat, i)

        score, used = dynamic_expert_inference(
            first, head.expert_logits(first, 0), backbone.num_experts, run_expert,
            self.router, self.test_cfg['threshold'])
        predictions = head._get_predictions(score, data_samples)
        for sample, k in zip(predictions, used.tolist()):
            sample.set_field(k, 'num_experts', field_type='metainfo')
        return predictions


def _drop_teacher_keys(module: RIDEClassifier, state_dict: Dict[str, Any], prefix: str,
                       local_metadata: Any) -> None:
    """State-dict hook: the frozen teacher is not part of the student's checkpoint."""
    head = prefix + TEACHER + '.'
    for key in [k for k in state_dict if k.startswith(head)]:
        del state_dict[key]
    metadata = getattr(state_dict, '_metadata', None)
    if metadata is not None:
        name = prefix + TEACHER
        for key in [k for k in metadata if k == name or k.startswith(name + '.')]:
            del metadata[key]

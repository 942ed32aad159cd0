"""Compute the class means of an ``NCMClsHead`` from the training set before testing."""
import copy
import os.path as osp
from typing import Any, Iterator, Optional, Tuple, Union

import torch
from mmengine.dist import all_reduce, is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import save_checkpoint, weights_to_cpu
from torch import Tensor
from torch.utils.data import DataLoader

from ltr_mm.models.functional import class_sums
from ltr_mm.registry import CLS_HOOKS, register


def innermost_dataset(cfg: dict, where: str) -> dict:
    """The dataset config that holds the pipeline, under dataset wrappers."""
    node = cfg
    while 'pipeline' not in node:
        if 'dataset' not in node:
            raise ValueError(f'NCMClassMeansHook: {where} has no pipeline (config {dict(node)})')
        node = node['dataset']
    return node


def plain_train_loader_cfg(cfg: Any) -> dict:
    """The training set read with the test pipeline, in order, each image once.

    The ``train_dataloader`` of ``cfg`` with its (innermost) dataset's pipeline replaced by
    the test pipeline, a ``DefaultSampler`` without shuffling or padding, and no persistent
    workers: the "train_plain" split of the Decoupling code.
    """
    if not cfg.get('train_dataloader') or not cfg.get('test_dataloader'):
        raise ValueError('NCMClassMeansHook: the config needs train_dataloader (the images '
                         'behind the class means) and test_dataloader (their pipeline), or '
                         'give the hook a dataloader')
    loader = copy.deepcopy(dict(cfg['train_dataloader']))
    test_dataset = innermost_dataset(cfg['test_dataloader']['dataset'],
                                     'test_dataloader.dataset')
    train_dataset = innermost_dataset(loader['dataset'], 'train_dataloader.dataset')
    train_dataset['pipeline'] = copy.deepcopy(test_dataset['pipeline'])
    loader['sampler'] = dict(type='DefaultSampler', shuffle=False, round_up=False)
    loader.pop('batch_sampler', None)
    loader['persistent_workers'] = False
    return loader


@register(CLS_HOOKS)
class NCMClassMeansHook(Hook):
    """Fill the buffers of the model's ``NCMClsHead`` from the training set.

    Before testing (and validation) it checks whether the head already has class means (a
    checkpoint that carries them was loaded); if not, or with ``recompute=True``, it runs the
    model's backbone and neck in eval mode over the training images, read with the test
    pipeline (``dataloader``; by default the config's ``train_dataloader`` with the
    ``test_dataloader`` pipeline, in order, no padding, see :func:`plain_train_loader_cfg`),
    and stores the per-class means of the head's transformed features. For ``feat_norm='cl2n'``
    a first pass computes the training-set mean feature. Sums are all-reduced across processes.
    With ``save_to`` the model with its means is written as a checkpoint (relative paths are
    under the work dir), which ``tools/test.py`` can then load without this pass.

    Args:
        dataloader (dict | DataLoader, optional): the images behind the means (a config or
            a built dataloader). Defaults to None (see above).
        save_to (str, optional): checkpoint file written after computing the means.
            Defaults to None.
        recompute (bool): compute the means even if the head has some. Defaults to False.

    Example::

        custom_hooks = [dict(type='NCMClassMeansHook', save_to='ncm_means.pth')]
    """

    priority = 'NORMAL'

    def __init__(self, dataloader: Union[dict, DataLoader, None] = None,
                 save_to: Optional[str] = None,
                 recompute: bool = False) -> None:
        self.dataloader = dataloader
        self.save_to = save_to
        self.recompute = recompute

    def before_val(self, runner: Runner) -> None:
        """Fill the means before validation if they are missing."""
        self.fill(runner)

    def before_test(self, runner: Runner) -> None:
        """Fill the means before testing if they are missing."""
        self.fill(runner)

    def fill(self, runner: Runner) -> None:
        """Compute and store the class means unless the head has them."""
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        head = getattr(model, 'head', None)
        if not hasattr(head, 'set_class_means'):
            raise RuntimeError('NCMClassMeansHook: the model head is '
                               f'{type(head).__name__}, not NCMClsHead; remove the hook or '
                               'use NCMClsHead')
        if head.has_class_means and not self.recompute:
            runner.logger.info('NCMClassMeansHook: the head already has class means (from a '
                               'checkpoint or an earlier pass); not recomputed')
            return
        loader = self.dataloader
        if loader is None:
            loader = plain_train_loader_cfg(runner.cfg)
        if isinstance(loader, dict):
            loader = Runner.build_dataloader(copy.deepcopy(loader))
        was_training = model.training
        model.eval()
        with torch.no_grad():
            images = self.compute(model, head, loader)
        model.train(was_training)
        empty = int((head.class_sizes == 0).sum())
        runner.logger.info(f'NCMClassMeansHook: class means of {head.num_classes} classes from '
                           f'{images} training images ({empty} classes without images)')
        if self.save_to:
            path = osp.join(runner.work_dir, self.save_to)
            if is_main_process():
                state = weights_to_cpu(model.state_dict())
                save_checkpoint({'meta': {'ncm_images': images}, 'state_dict': state}, path)
            runner.logger.info(f'NCMClassMeansHook: model with class means saved to {path}')

    @staticmethod
    def features(model: Any, loader: Any) -> Iterator[Tuple[Tuple[Tensor, ...], Tensor]]:
        """(backbone / neck outputs, labels) of every batch of ``loader``."""
        for batch in loader:
            data = model.data_preprocessor(batch, False)
            feats = model.extract_feat(data['inputs'])
            yield feats, torch.cat([s.gt_label.view(-1) for s in data['data_samples']])

    def compute(self, model: Any, head: Any, loader: Any) -> int:
        """Both passes; stores the means in ``head`` and returns the number of images."""
        feat_mean = None
        if head.feat_norm == 'cl2n':
            total = torch.zeros(head.in_channels, dtype=torch.float64)
            count = torch.zeros((), dtype=torch.float64)
            for feats, labels in self.features(model, loader):
                total += head.pre_logits(feats).double().sum(0).cpu()
                count += labels.numel()
            total, count = self._reduce(total, head), self._reduce(count, head)
            feat_mean = (total / count.clamp_min(1)).float()
            head.feat_mean.copy_(feat_mean)
        sums = torch.zeros(head.num_classes, head.in_channels, dtype=torch.float64)
        sizes = torch.zeros(head.num_classes, dtype=torch.float64)
        for feats, labels in self.features(model, loader):
            sums += class_sums(head.ncm_features(feats), labels, head.num_classes).cpu()
            sizes += torch.bincount(labels.cpu().long(), minlength=head.num_classes).double()
        sums, sizes = self._reduce(sums, head), self._reduce(sizes, head)
        if sizes.sum() == 0:
            raise ValueError('NCMClassMeansHook: the training dataloader yielded no images')
        means = (sums / sizes.clamp_min(1).unsqueeze(1)).float()
        head.set_class_means(means.to(head.class_means.device), sizes, feat_mean)
        return int(sizes.sum())

    @staticmethod
    def _reduce(value: Tensor, head: Any) -> Tensor:
        """Sum over processes (on the head's device, as the communication backend needs)."""
        value = value.to(head.class_means.device)
        all_reduce(value)
        return value.cpu()

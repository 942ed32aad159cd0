"""Epoch-based training loop whose ``--resume`` continues exactly where the run stopped."""
import itertools
import logging
import random
from typing import Any, Iterable, Iterator, Optional

import numpy as np
import torch
from mmengine.dist import get_world_size
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop
from torch.utils.data import DataLoader

from ltr_mm.registry import SHARED_LOOPS, register

#: Message-hub key of the loop's position and random state (saved in every checkpoint).
STATE_KEY = 'ltr_mm_train_loop_state'


def get_rng_state() -> dict:
    """The states of Python's, numpy's and torch's global generators (CUDA too if in use)."""
    _, key, pos, has_gauss, gauss = np.random.get_state()
    state = dict(python=random.getstate(),
                 numpy=dict(key=torch.from_numpy(key.astype(np.int64)), pos=int(pos),
                            has_gauss=int(has_gauss), gauss=float(gauss)),
                 torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict) -> None:
    """Restore the generators from :func:`get_rng_state` (tensors may sit on any device)."""
    python = state['python']
    random.setstate((python[0], tuple(python[1]), python[2]))
    npy = state['numpy']
    np.random.set_state(('MT19937', npy['key'].cpu().numpy().astype(np.uint32), npy['pos'],
                         npy['has_gauss'], npy['gauss']))
    torch.set_rng_state(state['torch'].cpu())
    if 'cuda' in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in state['cuda']])


class SkipFirstBatches:
    """A batch sampler (or sampler) that drops the first ``skip`` items of ``inner``.

    Only indices are produced for the skipped batches; no sample is loaded.

    Args:
        inner: the batch sampler (or sampler) of the training dataloader.
        skip: number of leading items to drop.
    """

    def __init__(self, inner: Iterable, skip: int) -> None:
        self.inner = inner
        self.skip = int(skip)

    def __iter__(self) -> Iterator:
        return itertools.islice(iter(self.inner), self.skip, None)

    def __len__(self) -> int:
        return max(len(self.inner) - self.skip, 0)


def skip_batches(loader: DataLoader, skip: int) -> DataLoader:
    """A one-epoch copy of ``loader`` that starts at its ``skip``-th batch.

    The copy shares the dataset, collate function, worker set-up and (batch) sampler of
    ``loader``, so it yields exactly the batches ``skip, skip + 1, ...`` that ``loader`` would
    yield in the current epoch. Its workers are not persistent.

    Args:
        loader: the training dataloader.
        skip: number of leading batches to drop.

    Returns:
        DataLoader: the shortened loader.
    """
    kwargs: dict = dict(num_workers=loader.num_workers, collate_fn=loader.collate_fn,
                        pin_memory=loader.pin_memory, timeout=loader.timeout,
                        worker_init_fn=loader.worker_init_fn,
                        multiprocessing_context=loader.multiprocessing_context,
                        generator=loader.generator)
    if loader.num_workers > 0:
        kwargs['prefetch_factor'] = loader.prefetch_factor
    if loader.batch_sampler is not None:
        return DataLoader(loader.dataset, batch_sampler=SkipFirstBatches(loader.batch_sampler,
                                                                         skip), **kwargs)
    return DataLoader(loader.dataset, batch_size=None,
                      sampler=SkipFirstBatches(loader.sampler, skip), **kwargs)


@register(*SHARED_LOOPS)
class ResumableEpochBasedTrainLoop(EpochBasedTrainLoop):
    """mmengine's ``EpochBasedTrainLoop`` with exact resumption inside an epoch.

    mmengine 0.10.7 restores ``epoch`` and ``iter`` from a checkpoint but always restarts the
    epoch at its first batch, so a checkpoint written inside an epoch (``CheckpointHook``
    with ``by_epoch=False``) trains the already-seen batches of that epoch a second time and
    the random generators restart from the seed. This loop records, before the
    ``after_train_iter`` hooks of every iteration (where checkpoints are written) and before
    the ``after_train_epoch`` hooks, its position and the global random state in the message
    hub, which every checkpoint saves. When a run resumes:

    - inside an epoch, the epoch's batch sampler is re-run (same sampler epoch and seed)
      without loading data, its first ``k`` batches (the ones already trained) are skipped,
      and the random state of the moment the checkpoint was written is restored after the
      epoch's data iterator is created, exactly where the interrupted run stood;
    - at an epoch boundary, the recorded state is restored before the epoch's data iterator
      is created.

    In every run, interrupted or not, each epoch after the first starts from the random
    state recorded at the end of the previous epoch, so validation and other work between
    epochs do not shift the training randomness (this is what makes an epoch-boundary resume
    exact when validation runs in between).

    The result equals an uninterrupted run bit for bit when the run is deterministic
    (``randomness=dict(seed=..., deterministic=True)``), uses ``num_workers=0`` (random
    transforms in worker processes restart from their worker seed) and no hook draws random
    numbers between the recording and the checkpoint. In multi-process runs the checkpoint
    carries rank 0's state only, so there the skip is exact (every rank skips the same number
    of its own batches) but the random streams restart from the seed. A checkpoint written by
    another number of processes restarts its epoch at the first batch, as in mmengine.

    ltr_mm's ``tools/train.py`` uses this loop for every epoch-based config; set
    ``train_cfg.type='ResumableEpochBasedTrainLoop'`` to use it from a Runner directly. The
    arguments are those of ``EpochBasedTrainLoop``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._record: Optional[dict] = None

    def _save_position(self, epoch: int, batches_done: int, iters_done: int) -> None:
        """Record where the loop stands and the random state, for the next checkpoint."""
        self._record = dict(epoch=epoch, batch=batches_done, iter=iters_done,
                            world_size=get_world_size(), rng=get_rng_state())
        self.runner.message_hub.update_info(STATE_KEY, self._record)

    def _resume_point(self) -> Optional[dict]:
        """The record to continue from at the start of the current epoch, if any."""
        record = self._record or self.runner.message_hub.get_info(STATE_KEY)
        if record is None or record['epoch'] != self._epoch or record['iter'] != self._iter:
            return None
        if record['world_size'] != get_world_size():
            print_log(f'The checkpoint was written by {record["world_size"]} processes, this '
                      f'run has {get_world_size()}: epoch {self._epoch + 1} restarts at its '
                      'first batch', logger='current', level=logging.WARNING)
            return None
        return record

    def run_epoch(self) -> None:
        """Iterate one epoch, starting after its already-trained batches when resuming."""
        self.runner.call_hook('before_train_epoch')
        self.runner.model.train()
        record = self._resume_point()
        restore_rng = record is not None and (self._record is not None
                                              or get_world_size() == 1)
        skip = 0 if record is None else int(record['batch'])
        if skip:
            print_log(f'Resuming inside epoch {self._epoch + 1}: skipping its first {skip} '
                      'batches, which the checkpoint has already trained', logger='current')
            loader = skip_batches(self.dataloader, skip)
        else:
            loader = self.dataloader
            if restore_rng:
                set_rng_state(record['rng'])
        batches = iter(loader)
        if skip and restore_rng:
            set_rng_state(record['rng'])
        for idx, data_batch in enumerate(batches, start=skip):
            self.run_iter(idx, data_batch)
        self._save_position(self._epoch + 1, 0, self._iter)
        self.runner.call_hook('after_train_epoch')
        self._epoch += 1

    def run_iter(self, idx: int, data_batch: Any) -> None:
        """One training step; the position is recorded before ``after_train_iter``."""
        self.runner.call_hook('before_train_iter', batch_idx=idx, data_batch=data_batch)
        outputs = self.runner.model.train_step(data_batch,
                                               optim_wrapper=self.runner.optim_wrapper)
        self._save_position(self._epoch, idx + 1, self._iter + 1)
        self.runner.call_hook('after_train_iter', batch_idx=idx, data_batch=data_batch,
                              outputs=outputs)
        self._iter += 1

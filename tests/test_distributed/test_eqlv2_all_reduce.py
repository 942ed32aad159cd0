"""EQLv2ClsLoss in a real 2-process gloo group: after one step every rank holds the gradient
statistics of both ranks' RoIs (their sum), so both compute the same weights next step, and
these are the sums of the two ranks' single-process statistics."""
import os.path as osp
import socket

import torch
import torch.distributed as torch_dist
import torch.multiprocessing as mp

LABELS = [torch.tensor([0, 1, 3, 2]), torch.tensor([2, 2, 3])]


def _logits(rank: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(10 + rank)
    return torch.randn(len(LABELS[rank]), 4, generator=gen)


def _worker(rank: int, port: int, out_dir: str) -> None:
    torch_dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
                                  world_size=2)
    try:
        from mmdet.registry import MODELS

        import ltr_mm  # noqa: F401
        loss = MODELS.build(dict(type='EQLv2ClsLoss', num_classes=3))
        loss(_logits(rank), LABELS[rank])
        weights = loss.column_weights()
        torch.save(dict(pos=loss.pos_grad, neg=loss.neg_grad, r=weights[0], q=weights[1]),
                   osp.join(out_dir, f'rank{rank}.pth'))
    finally:
        torch_dist.destroy_process_group()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_statistics_are_summed_over_ranks(tmp_path):
    from mmdet.registry import MODELS

    import ltr_mm  # noqa: F401
    # spawn, not fork: a fork of a process whose torch thread pools already ran can hang in
    # the children (as it did inside the whole test session)
    mp.start_processes(_worker, args=(_free_port(), str(tmp_path)), nprocs=2, join=True,
                       start_method='spawn')
    ranks = [torch.load(tmp_path / f'rank{r}.pth') for r in range(2)]
    single = []
    for rank in range(2):  # each rank's own statistics, one process
        loss = MODELS.build(dict(type='EQLv2ClsLoss', num_classes=3))
        loss(_logits(rank), LABELS[rank])
        single.append(loss)
    for got in ranks:
        torch.testing.assert_close(got['pos'], single[0].pos_grad + single[1].pos_grad)
        torch.testing.assert_close(got['neg'], single[0].neg_grad + single[1].neg_grad)
    for key in ('r', 'q'):
        torch.testing.assert_close(ranks[0][key], ranks[1][key])
    assert not torch.allclose(single[0].pos_grad, single[1].pos_grad)

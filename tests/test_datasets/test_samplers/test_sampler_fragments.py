"""configs/_base_/samplers fragments replace the sampler of a dataset base and build."""
import os.path as osp

from mmengine.config import Config
from mmengine.registry import DefaultScope

from ltr_mm.datasets.samplers import RepeatFactorSampler
from ltr_mm.registry import DET_DATA_SAMPLERS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


class ToyDet:
    metainfo = dict(classes=('a', 'b'))
    data_list = [dict(instances=[dict(bbox_label=0)]), dict(instances=[dict(bbox_label=1)])]

    def __len__(self):
        return 2

    def get_cat_ids(self, idx):
        return [inst['bbox_label'] for inst in self.data_list[idx]['instances']]


def _merged(tmp_path, fragment):
    path = tmp_path / 'cfg.py'
    path.write_text(f"_base_ = ['{REPO}/configs/_base_/datasets/fashion-lvis_detection.py', "
                    f"'{REPO}/configs/_base_/samplers/{fragment}']\n"
                    'train_dataloader = dict(sampler=dict(_delete_=True, '
                    '**_base_.train_sampler))\n')
    return Config.fromfile(str(path))


def test_rfs_fragment(tmp_path):
    cfg = _merged(tmp_path, 'rfs-stochastic_lvis.py')
    assert cfg.train_dataloader.sampler == dict(type='RepeatFactorSampler', repeat_thresh=1e-3)
    assert cfg.train_dataloader.batch_sampler.type == 'AspectRatioBatchSampler'
    sampler = DET_DATA_SAMPLERS.build(cfg.train_dataloader.sampler,
                                      default_args=dict(dataset=ToyDet(), seed=0))
    assert isinstance(sampler, RepeatFactorSampler)


def test_class_aware_fragment(tmp_path):
    cfg = _merged(tmp_path, 'class-aware_lvis.py')
    assert cfg.train_dataloader.sampler == dict(type='ClassAwareSampler', num_sample_class=1)
    with DefaultScope.overwrite_default_scope('mmdet'):
        sampler = DET_DATA_SAMPLERS.build(cfg.train_dataloader.sampler,
                                          default_args=dict(dataset=ToyDet(), seed=0))
    assert type(sampler).__name__ == 'ClassAwareSampler' and len(list(iter(sampler))) == 2

"""The Fixed AP test-time config: the fragment lifts the per-image cap of every R-CNN stage."""
import pytest
from mmengine.config import Config, ConfigDict

from ltr_mm.evaluation.fixed_ap_cfg import fixed_ap_fragment_path, uncap_test_cfg


def test_fragment_lifts_the_cap_of_single_and_multi_stage_heads():
    assert Config.fromfile(fixed_ap_fragment_path()).model == dict(
        test_cfg=dict(rcnn=dict(max_per_img=-1)))
    faster = ConfigDict(model=dict(test_cfg=dict(
        rpn=dict(max_per_img=1000), rcnn=dict(score_thr=0.0001, max_per_img=300))))
    uncap_test_cfg(faster, 'faster.py')
    assert faster.model.test_cfg.rcnn == dict(score_thr=0.0001, max_per_img=-1)
    assert faster.model.test_cfg.rpn.max_per_img == 1000
    staged = ConfigDict(model=dict(test_cfg=dict(rcnn=[
        dict(max_per_img=300, mask_thr_binary=0.5),
        dict(max_per_img=100)])))
    uncap_test_cfg(staged, 'cascade.py')
    assert [s.max_per_img for s in staged.model.test_cfg.rcnn] == [-1, -1]
    assert staged.model.test_cfg.rcnn[0].mask_thr_binary == 0.5


def test_config_without_rcnn_test_cfg_is_refused():
    with pytest.raises(ValueError, match=r'^retina.py: field "model.test_cfg.rcnn" is missing'):
        uncap_test_cfg(ConfigDict(model=dict(test_cfg=dict(max_per_img=100))), 'retina.py')

"""state_dict_diff: which checkpoint differences the allowances cover, and how they read."""
import torch

from ltr_mm.engine.state_dict_diff import (
    MAX_SHOWN,
    StateDictDiff,
    diff_shapes,
    format_diff,
    key_matches,
    state_shapes,
    unused_patterns,
)

MODEL = {'backbone.conv.weight': (8, 3, 3, 3), 'head.fc.weight': (5, 8), 'head.fc.bias': (5, ),
         'head.fc.scales': (5, ), 'router.fc.weight': (3, 8)}


def test_key_patterns_cover_modules_and_globs():
    assert key_matches('head.fc.weight', 'head.fc')
    assert key_matches('head.fc.weight', 'head.fc.*')
    assert not key_matches('head.fcx.weight', 'head.fc')
    assert key_matches('roi_head.bbox_head.2.fc_cls.bias', 'roi_head.bbox_head.*.fc_cls')
    assert not key_matches('roi_head.bbox_head.fc_cls.bias', 'roi_head.bbox_head.*.fc_cls')
    assert unused_patterns(MODEL, ['router', 'neck', 'head.fc.scales']) == ['neck']


def test_state_shapes_strip_the_wrapper_prefix_and_skip_non_tensors():
    state = {'module.a.weight': torch.zeros(2, 3), 'b': torch.zeros(()), '_version': 3}
    assert state_shapes(state) == {'a.weight': (2, 3), 'b': ()}


def test_allowances():
    checkpoint = {'backbone.conv.weight': (8, 3, 3, 3), 'head.fc.weight': (7, 8),
                  'head.fc.bias': (7, ), 'head.fc.old_buffer': (1, )}
    assert diff_shapes(MODEL, checkpoint) == StateDictDiff(
        missing=['head.fc.scales', 'router.fc.weight'], unexpected=['head.fc.old_buffer'],
        mismatched=[('head.fc.weight', (7, 8), (5, 8)), ('head.fc.bias', (7, ), (5, ))])
    # new keys may be absent; a re-initialised module may be absent, reshaped or hold more.
    assert not diff_shapes(MODEL, checkpoint, allow_new=['router', 'head.fc.scales'],
                           allow_reinit=['head.fc'])
    # a new key present with another shape is still a mismatch.
    checkpoint['router.fc.weight'] = (3, 16)
    assert diff_shapes(MODEL, checkpoint, allow_new=['router'], allow_reinit=['head.fc']) == \
        StateDictDiff([], [], [('router.fc.weight', (3, 16), (3, 8))])


def test_format_cuts_long_lists_with_a_count():
    missing = [f'backbone.layer{i}.weight' for i in range(MAX_SHOWN + 3)]
    diff = StateDictDiff(missing, ['extra'], [('head.fc.bias', (7, ), (5, )),
                                              ('w', (), (1, 2))])
    assert format_diff(diff) == '\n'.join([
        f'missing from the checkpoint ({MAX_SHOWN + 3}): ' + ', '.join(missing[:MAX_SHOWN]) +
        ', ... and 3 more',
        'unexpected in the checkpoint (1): extra',
        'shape mismatch, checkpoint vs model (2): head.fc.bias (7) vs (5), w () vs (1, 2)'])
    assert format_diff(StateDictDiff([], [], [])) == ''

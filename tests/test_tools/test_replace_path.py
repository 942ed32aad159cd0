"""replace_path: fpath prefixes rewritten at path boundaries, in place or to a new file."""
import importlib.util
import json
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / 'tools/dataset_converters/replace_path.py'
spec = importlib.util.spec_from_file_location('replace_path', TOOL)
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def test_replace_prefix_boundaries():
    assert tool.replace_prefix('/a/b/c.jpg', '/a/b', '/x') == ('/x/c.jpg', True)
    assert tool.replace_prefix('/a/b/c.jpg', '/a/b/', '/x/') == ('/x/c.jpg', True)
    assert tool.replace_prefix('/a/bc/d.jpg', '/a/b', '/x') == ('/a/bc/d.jpg', False)
    assert tool.replace_prefix('/a/b', '/a/b', '/x') == ('/x', True)
    assert tool.replace_prefix('/a/b/c.jpg', '/a/b', '') == ('c.jpg', True)
    assert tool.replace_prefix('/a/c', '/a', '/') == ('/c', True)


def _write(path, fpaths):
    anns = [dict(image_id=i, fpath=p, im_height=2, im_width=3, category_id=i)
            for i, p in enumerate(fpaths)]
    path.write_text(json.dumps({'annotations': anns, 'num_classes': 3}))


def test_in_place_and_out(tmp_path, capsys):
    old = '/media/ssd1/lijun/ImageNet_LT'
    a, b = tmp_path / 'train.json', tmp_path / 'val.json'
    _write(a, [old + '/train/n1/x.JPEG', '/elsewhere/y.JPEG'])
    _write(b, [old + '/val/z.JPEG'])
    tool.main(['--json_file', str(a), '--find_root', old, '--replaces_to', '/data/ImageNet',
               '--out', str(tmp_path / 'new.json')])
    new = json.loads((tmp_path / 'new.json').read_text())
    assert [x['fpath'] for x in new['annotations']] == ['/data/ImageNet/train/n1/x.JPEG',
                                                        '/elsewhere/y.JPEG']
    assert new['num_classes'] == 3 and new['annotations'][1]['category_id'] == 1
    assert '1 paths rewritten, 1 without the prefix' in capsys.readouterr().out
    assert json.loads(a.read_text())['annotations'][0]['fpath'].startswith(old)
    tool.main(['--json-file', str(a), str(b), '--find-root', old, '--replaces-to', '/d'])
    assert json.loads(b.read_text())['annotations'][0]['fpath'] == '/d/val/z.JPEG'
    assert json.loads(a.read_text())['annotations'][0]['fpath'] == '/d/train/n1/x.JPEG'

"""Rewrite the ``fpath`` prefix of long-tailed json annotation files.

The files hold ``{"annotations": [{"image_id", "fpath", "im_height", "im_width",
"category_id"}], "num_classes"}`` (read by ``ltr_mm.datasets.LTJsonDataset``). Every ``fpath``
that equals ``--find_root`` or starts with ``--find_root`` followed by ``/`` gets that prefix
replaced by ``--replaces_to``; other paths are left alone and counted. Files are rewritten in
place unless ``--out`` names a new file (one input only) or folder.

Usage::

    python tools/dataset_converters/replace_path.py --json_file ImageNet_LT_train.json \\
        --find_root /media/ssd1/lijun/ImageNet_LT --replaces_to /downloaded/ImageNet
"""
import argparse
import json
from pathlib import Path
from typing import Optional, Sequence, Tuple


def replace_prefix(fpath: str, find_root: str, replaces_to: str) -> Tuple[str, bool]:
    """Replace the leading ``find_root`` of ``fpath`` by ``replaces_to`` at a path boundary.

    Args:
        fpath: the path to rewrite.
        find_root: prefix to look for (a trailing ``/`` is ignored).
        replaces_to: new prefix (a trailing ``/`` is ignored; ``''`` makes the path relative).

    Returns:
        tuple[str, bool]: the new path and whether it changed.
    """
    old = find_root.rstrip('/') or '/'
    prefix = replaces_to.rstrip('/') + '/' if replaces_to else ''
    if fpath == old:
        return replaces_to.rstrip('/') or replaces_to, True
    head = old if old.endswith('/') else old + '/'
    if fpath.startswith(head):
        return prefix + fpath[len(head):], True
    return fpath, False


def replace_in_file(src: Path, dst: Path, find_root: str, replaces_to: str) -> Tuple[int, int]:
    """Rewrite one annotation file.

    Args:
        src: input json.
        dst: output json (may equal ``src``).
        find_root: prefix to replace.
        replaces_to: new prefix.

    Returns:
        tuple[int, int]: number of paths changed and left unchanged.
    """
    with open(src) as f:
        data = json.load(f)
    changed = kept = 0
    for ann in data['annotations']:
        ann['fpath'], hit = replace_prefix(ann['fpath'], find_root, replaces_to)
        changed, kept = changed + hit, kept + (not hit)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with open(dst, 'w') as f:
        json.dump(data, f)
    return changed, kept


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--json_file', '--json-file', nargs='+', required=True)
    parser.add_argument('--find_root', '--find-root', required=True)
    parser.add_argument('--replaces_to', '--replaces-to', required=True)
    parser.add_argument('--out', default=None,
                        help='output file (one input) or folder; default: rewrite in place')
    args = parser.parse_args(argv)
    for name in args.json_file:
        src = Path(name)
        if args.out is None:
            dst = src
        elif len(args.json_file) == 1 and Path(args.out).suffix == '.json':
            dst = Path(args.out)
        else:
            dst = Path(args.out) / src.name
        changed, kept = replace_in_file(src, dst, args.find_root, args.replaces_to)
        print(f'{src} -> {dst}: {changed} paths rewritten, {kept} without the prefix')


if __name__ == '__main__':
    main()

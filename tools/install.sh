#!/usr/bin/env bash
# Idempotent installer for ltr_mm and its OpenMMLab stack (Python 3.11, CPU or GPU).
#
#   bash tools/install.sh            # install what is missing, then `pip install -e .`
#   PYTHON=/path/to/python bash tools/install.sh
#
# mmcv 2.1.0 (the newest mmcv that mmdet 3.3.0 accepts) has no wheel for torch 2.14, so it is
# built once from its sdist with the compiled ops and the wheel is kept in $LTR_MM_CACHE
# (default ~/.cache/ltr_mm/wheels); later runs install that wheel in seconds.
set -euo pipefail

PY=${PYTHON:-python3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${LTR_MM_CACHE:-$HOME/.cache/ltr_mm/wheels}
PIP=("$PY" -m pip install --disable-pip-version-check)
CURRENT=start
STEP=0
TOTAL=9

step() { STEP=$((STEP + 1)); CURRENT="$1"; echo "[install ${STEP}/${TOTAL}] $1"; }
fail() { echo "ltr_mm install FAILED at step ${STEP}/${TOTAL} (${CURRENT}): $1" >&2; exit 1; }
trap 'fail "command exited with status $? (see the output above)"' ERR

# version NAME -> installed version or empty
version() { "$PY" - "$1" <<'PYEOF' 2>/dev/null || true
import sys
from importlib import metadata
try:
    print(metadata.version(sys.argv[1]))
except metadata.PackageNotFoundError:
    pass
PYEOF
}
# need NAME VERSION -> true when NAME==VERSION is not installed
need() { [ "$(version "$1")" != "$2" ]; }
have() { echo "    $1 $(version "$1") already installed"; }

CURRENT=python
"$PY" -c 'import sys; assert sys.version_info[:2] >= (3, 9), sys.version' \
  || fail "ltr_mm needs Python >= 3.9 (3.11 is the tested version); got $("$PY" -V 2>&1)"

step "build tools (setuptools with pkg_resources, wheel, ninja)"
# torch 2.14 asks for setuptools >= 77.0.3; setuptools >= 81 dropped pkg_resources, which
# mmcv 2.1.0's setup.py imports. Every install below keeps setuptools inside that window.
SETUPTOOLS='setuptools>=77.0.3,<81'
if "$PY" -c 'import pkg_resources, wheel, ninja, setuptools; assert int(setuptools.__version__.split(".")[0]) >= 77' 2>/dev/null; then
  echo "    build tools present"
else
  "${PIP[@]}" "$SETUPTOOLS" wheel ninja
fi

step "torch 2.14.1 + torchvision 0.29.1"
if need torch 2.14.1 || need torchvision 0.29.1; then
  "${PIP[@]}" torch==2.14.1 torchvision==0.29.1 "$SETUPTOOLS"
else
  have torch
fi

step "mmengine 0.10.7"
if need mmengine 0.10.7; then "${PIP[@]}" mmengine==0.10.7; else have mmengine; fi

step "mmcv 2.1.0 with compiled ops"
mmcv_ops_ok() { "$PY" -c 'import mmcv, mmcv.ops; from mmcv.ops import RoIAlign; assert mmcv.__version__ == "2.1.0"' 2>/dev/null; }
if mmcv_ops_ok; then
  have mmcv
else
  mkdir -p "$CACHE"
  wheel_file=$(ls "$CACHE"/mmcv-2.1.0-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$wheel_file" ]; then
    echo "    no cached wheel in $CACHE: building mmcv 2.1.0 from its sdist (about 20 minutes on 2 cores)"
    build=$(mktemp -d)
    "$PY" -m pip download --disable-pip-version-check --no-deps --no-binary :all: \
      -d "$build" mmcv==2.1.0
    tar -xzf "$build"/mmcv-2.1.0.tar.gz -C "$build"
    src="$build/mmcv-2.1.0"
    # torch >= 2.13 headers require C++20; mmcv 2.1.0 hard-codes -std=c++17.
    sed -i 's/-std=c++17/-std=c++20/g' "$src/setup.py"
    grep -q -- '-std=c++20' "$src/setup.py" || fail "could not raise the C++ standard in $src/setup.py"
    (cd "$src" && MMCV_WITH_OPS=1 FORCE_CUDA=${FORCE_CUDA:-0} MAX_JOBS=${MAX_JOBS:-$(nproc)} \
      "$PY" -m pip wheel --disable-pip-version-check --no-build-isolation --no-deps -v \
      -w "$CACHE" . 2>&1 | grep --line-buffered -E '^\s*\[[0-9]+/[0-9]+\]|error:|Error|Created wheel' || true)
    wheel_file=$(ls "$CACHE"/mmcv-2.1.0-*.whl 2>/dev/null | head -n 1 || true)
    [ -n "$wheel_file" ] || fail "mmcv 2.1.0 did not build; rerun with the build log: cd $src && MMCV_WITH_OPS=1 $PY -m pip wheel --no-build-isolation --no-deps -v ."
    rm -rf "$build"
  else
    echo "    installing cached wheel $wheel_file"
  fi
  "${PIP[@]}" "$wheel_file"
  mmcv_ops_ok || fail "mmcv 2.1.0 is installed but mmcv.ops does not import"
fi

step "mmdet 3.3.0"
if need mmdet 3.3.0; then "${PIP[@]}" mmdet==3.3.0; else have mmdet; fi

step "mmpretrain 1.2.0"
if need mmpretrain 1.2.0; then "${PIP[@]}" mmpretrain==1.2.0; else have mmpretrain; fi

step "evaluation: lvis, pycocotools, faster-coco-eval"
if need lvis 0.5.3 || need faster-coco-eval 1.8.0 || [ -z "$(version pycocotools)" ]; then
  "${PIP[@]}" lvis==0.5.3 pycocotools faster-coco-eval==1.8.0
else
  have faster-coco-eval
fi

step "test and tool requirements (pytest, tqdm, matplotlib)"
if "$PY" -c 'import pytest, tqdm, matplotlib' 2>/dev/null; then
  echo "    present"
else
  "${PIP[@]}" pytest tqdm matplotlib
fi

step "ltr_mm (editable)"
# Checked from / so that a checkout in the current folder does not pass for an install.
if (cd / && "$PY" -c 'import ltr_mm, os, sys; sys.exit(os.path.realpath(os.path.dirname(ltr_mm.__file__)) != os.path.realpath(sys.argv[1]))' "$ROOT/ltr_mm") 2>/dev/null; then
  echo "    ltr_mm already installed from $ROOT"
else
  "${PIP[@]}" --no-build-isolation --no-deps -e "$ROOT"
fi
(cd / && "$PY" -c 'import ltr_mm; print("    ltr_mm", ltr_mm.__version__, "ready")')
trap - ERR

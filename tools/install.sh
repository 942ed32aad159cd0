#!/usr/bin/env bash
# Idempotent installer for ltr_mm and its OpenMMLab stack (Python >= 3.9, CPU or GPU).
#
#   bash tools/install.sh            # install what is missing, then `pip install -e .`
#   bash tools/install.sh --plan     # print what it would keep / install / build and why; no change
#
# Environment:
#   PYTHON=/path/to/python    the interpreter to install into (default python3)
#   LTR_MM_TASKS=cls          classification only: mmcv-lite + mmpretrain, no mmdet, no compiler
#                             (default det,cls: both tasks, mmcv with its compiled ops)
#   TORCH_SPEC='...'          pip arguments for torch when none is installed
#                             (default 'torch==2.14.1 torchvision==0.29.1')
#   FORCE_CUDA=1 / 0          build mmcv's CUDA ops even without a visible GPU / never
#                             (default: CUDA ops when torch sees a GPU and nvcc is found)
#   NVCC=/path/to/nvcc        the CUDA compiler (default $CUDA_HOME/bin/nvcc, then nvcc on PATH,
#                             then /usr/local/cuda/bin/nvcc; NVCC=none: behave as if there is none)
#   LTR_MM_CACHE=DIR          where built mmcv wheels are kept (default ~/.cache/ltr_mm/wheels)
#   MAX_JOBS=N                parallel compile jobs for the mmcv build (default: all cores)
#
# An installed torch >= 2.0 with its matching torchvision is kept, whatever its CUDA build; torch
# is installed only where there is none. mmcv 2.1.0 (the newest mmcv that mmdet 3.3.0 accepts)
# has no wheel for recent torch, so it is built once from its sdist against the torch in place:
# with the CUDA ops on a GPU machine, with the C++ standard raised to C++20 only where that
# torch's headers demand it. The wheel is cached under a name that says which build it is
# (version 2.1.0+cpu.torch2.14, 2.1.0+cu130.torch2.14, ...), so a CPU build is never reused on a
# GPU machine or against another torch.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
PLAN=0
for arg in "$@"; do
  case "$arg" in
    --plan) PLAN=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "tools/install.sh: unknown argument '$arg' (use --plan or --help)" >&2; exit 2 ;;
  esac
done

PY=${PYTHON:-python3}
# A relative path must survive the `cd /` below (no symlink resolution: a venv's python is one).
case "$PY" in /*) ;; */*) PY="$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")" ;; esac
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${LTR_MM_CACHE:-$HOME/.cache/ltr_mm/wheels}
TORCH_SPEC=${TORCH_SPEC:-torch==2.14.1 torchvision==0.29.1}
MMCV=2.1.0
MMCV_LITE=2.1.0
# torch 2.14 asks for setuptools >= 77.0.3; setuptools >= 81 dropped pkg_resources, which
# mmcv 2.1.0's setup.py imports. Every install below keeps setuptools inside that window.
SETUPTOOLS='setuptools>=77.0.3,<81'
PIP=("$PY" -m pip install --disable-pip-version-check)

case "${LTR_MM_TASKS:-det,cls}" in
  det,cls|cls,det|all) DET=1 ;;
  cls) DET=0 ;;
  *) echo "tools/install.sh: LTR_MM_TASKS='${LTR_MM_TASKS}' is not one of 'det,cls' (default)" \
       "or 'cls' (classification only)" >&2; exit 2 ;;
esac

# ---------------------------------------------------------------------------------------------
# What is installed: one run of the interpreter prints key=value facts.
# ---------------------------------------------------------------------------------------------
declare -A F
probe() {
  local out
  out=$(cd / && env -u PYTHONPATH "$PY" - <<'PYEOF' 2>/dev/null
import importlib.util
import os
import sys
from importlib import metadata


def version(dist):
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ''


facts = {'python': '%d.%d.%d' % sys.version_info[:3],
         'python_tag': 'cp%d%d' % sys.version_info[:2],
         'python_ok': int(sys.version_info[:2] >= (3, 9))}
for key, dist in [('torch', 'torch'), ('torchvision', 'torchvision'),
                  ('mmengine', 'mmengine'), ('mmcv', 'mmcv'), ('mmcv_lite', 'mmcv-lite'),
                  ('mmdet', 'mmdet'), ('mmpretrain', 'mmpretrain'), ('lvis', 'lvis'),
                  ('faster_coco_eval', 'faster-coco-eval'), ('pycocotools', 'pycocotools'),
                  ('setuptools', 'setuptools')]:
    facts[key] = version(dist)
facts.update(torch_cuda='', cuda_devices=0, torch_include='', mmcv_ops='')
if facts['torch']:
    try:
        import torch
        facts['torch_cuda'] = torch.version.cuda or ''
        facts['cuda_devices'] = torch.cuda.device_count() if torch.cuda.is_available() else 0
        facts['torch_include'] = os.path.join(os.path.dirname(torch.__file__), 'include')
    except Exception as exc:  # a torch that does not import is reported, not kept
        facts['torch_error'] = repr(exc).replace('\n', ' ')
if facts['mmcv'] or facts['mmcv_lite']:
    try:
        from mmcv.ops import RoIAlign, get_compiling_cuda_version  # noqa: F401
        facts['mmcv_ops'] = 'cpu' if get_compiling_cuda_version() == 'not available' else 'cuda'
    except Exception:
        pass
found = lambda *mods: int(all(importlib.util.find_spec(m) is not None for m in mods))  # noqa
facts['build_tools'] = int(bool(found('pkg_resources', 'wheel', 'ninja')) and int(
    (facts['setuptools'] or '0').split('.')[0]) >= 77)
facts['test_tools'] = found('pytest', 'xdist', 'tqdm', 'matplotlib')
spec = importlib.util.find_spec('ltr_mm')
facts['ltr_mm'] = os.path.realpath(os.path.dirname(spec.origin)) if spec and spec.origin else ''
for key, value in facts.items():
    print(f'{key}={value}')
PYEOF
) || true
  F=()
  for key in python python_tag python_ok torch torchvision mmengine mmcv mmcv_lite mmdet \
      mmpretrain lvis faster_coco_eval pycocotools setuptools torch_cuda cuda_devices \
      torch_include mmcv_ops build_tools test_tools ltr_mm; do
    F[$key]=''
  done
  while IFS='=' read -r key value; do
    [ -n "$key" ] && F[$key]=$value
  done <<< "$out"
  if [ -z "${F[python]:-}" ]; then
    echo "tools/install.sh: cannot run the Python interpreter PYTHON='$PY'" >&2; exit 1
  fi
}

# Version helpers: release part only ("2.1.0+cu118" -> "2.1.0"), and comparisons.
release() { local v=${1%%+*}; echo "${v%%[a-z]*}"; }
local_tag() { case "$1" in *+*) echo "${1#*+}" ;; *) echo "" ;; esac; }
minor() { release "$1" | cut -d. -f1,2; }
ver_ge() { [ "$(printf '%s\n%s\n' "$2" "$(release "$1")" | sort -V | head -n1)" = "$2" ]; }
in_window() { [ -n "$1" ] && ver_ge "$1" "$2" && ! ver_ge "$1" "$3"; }  # $2 <= v < $3
# torch 2.a pairs with torchvision 0.(a+15): 2.0 / 0.15, 2.1 / 0.16, ..., 2.14 / 0.29.
torchvision_for() { local m; m=$(minor "$1"); echo "0.$(( ${m#*.} + 15 ))"; }

find_nvcc() {
  case "${NVCC:-}" in
    none) return 0 ;;
    ?*) [ -x "$NVCC" ] && echo "$NVCC"; return 0 ;;
  esac
  if [ -n "${CUDA_HOME:-}" ] && [ -x "$CUDA_HOME/bin/nvcc" ]; then echo "$CUDA_HOME/bin/nvcc"
  elif command -v nvcc >/dev/null 2>&1; then command -v nvcc
  elif [ -x /usr/local/cuda/bin/nvcc ]; then echo /usr/local/cuda/bin/nvcc
  fi
}
nvcc_version() { "$1" --version 2>/dev/null | sed -n 's/.*release \([0-9][0-9.]*\).*/\1/p' | head -n1; }

# ---------------------------------------------------------------------------------------------
# Decisions: for each step an action (keep, install, reuse, build, skip, stop) and its reason.
# ---------------------------------------------------------------------------------------------
STEPS=()
declare -A ACT WHAT WHY
decide() { STEPS+=("$1"); ACT[$1]=$2; WHAT[$1]=$3; WHY[$1]=$4; }
STOPPED=0
stop() { decide "$1" stop "$2" "$3"; STOPPED=1; }

decide_torch() {
  local tv want
  read -r -a TORCH_ARGS <<< "$TORCH_SPEC"
  if [ -n "${F[torch_error]:-}" ]; then
    stop torch "torch ${F[torch]}" "it is installed but does not import (${F[torch_error]}): repair or uninstall it (pip uninstall torch torchvision), then run this again"
  elif [ -z "${F[torch]}" ]; then
    decide torch install "$TORCH_SPEC" "no torch is installed (TORCH_SPEC chooses the build)"
  elif ! ver_ge "${F[torch]}" 2.0; then
    stop torch "torch ${F[torch]}" "ltr_mm needs torch >= 2.0: upgrade it with the build your machine needs (for example pip install 'torch==2.1.2' 'torchvision==0.16.2' from the wheel index of your CUDA version), or uninstall it (pip uninstall torch torchvision) and run this again to get TORCH_SPEC='$TORCH_SPEC'"
  else
    want=$(torchvision_for "${F[torch]}")
    tv=${F[torchvision]}
    if [ -n "$tv" ] && [ "$(minor "$tv")" = "$want" ]; then
      decide torch keep "torch ${F[torch]}, torchvision $tv" "torch >= 2.0 with its matching torchvision"
    elif [ -n "$(local_tag "${F[torch]}")" ]; then
      stop torch "torchvision ${tv:-(none)}" "torch ${F[torch]} needs torchvision $want.x built for the same '+$(local_tag "${F[torch]}")' variant: install it from the wheel index your torch came from (pip install 'torchvision==$want.*' with that index), then run this again"
    else
      TORCH_ARGS=("torchvision==$want.*" "torch==${F[torch]}")
      decide torch install "torchvision==$want.* (torch==${F[torch]} pinned)" "torch ${F[torch]} is kept; torchvision ${tv:-is missing}${tv:+ does not match it}, it needs $want.x"
    fi
  fi
}

# C++ standard for mmcv's ops: what the torch headers in place demand.
cxx_std() {
  if [ -n "${F[torch_include]}" ]; then
    if grep -qs '__cplusplus < 202002L' "${F[torch_include]}/ATen/ATen.h"; then echo c++20; else echo c++17; fi
  fi
}

decide_mmcv_full() {
  local ops=${F[mmcv_ops]} nvcc nv_ver tc want tag std wheels
  GPU=0; NVCC_PATH=$(find_nvcc); nv_ver=""
  [ -n "$NVCC_PATH" ] && nv_ver=$(nvcc_version "$NVCC_PATH")
  tc=${F[torch_cuda]}
  if [ "${FORCE_CUDA:-}" = 1 ] || { [ "${FORCE_CUDA:-}" != 0 ] && [ "${F[cuda_devices]:-0}" -gt 0 ] && [ -n "$NVCC_PATH" ]; }; then
    GPU=1
  fi
  if [ "$GPU" = 1 ] && [ -n "${F[torch]}" ]; then
    if [ -z "$NVCC_PATH" ]; then
      stop mmcv "mmcv $MMCV with CUDA ops" "FORCE_CUDA=1 but no nvcc was found: install the CUDA ${tc:-} toolkit and set CUDA_HOME (or NVCC), or build CPU ops with FORCE_CUDA=0"; return
    elif [ -z "$tc" ]; then
      stop mmcv "mmcv $MMCV with CUDA ops" "FORCE_CUDA=1 but torch ${F[torch]} is a CPU build: install a CUDA build of torch, or build CPU ops with FORCE_CUDA=0"; return
    elif [ "${tc%%.*}" != "${nv_ver%%.*}" ]; then
      stop mmcv "mmcv $MMCV with CUDA ops" "torch ${F[torch]} is built with CUDA $tc but nvcc ($NVCC_PATH) is CUDA ${nv_ver:-of unknown version}: mmcv's CUDA ops must be compiled with the CUDA major version of torch. Install the CUDA ${tc%%.*}.x toolkit and point CUDA_HOME (or NVCC) at it, or use a torch built for CUDA ${nv_ver%%.*}.x (uninstall torch and torchvision, set TORCH_SPEC to the cu${nv_ver%%.*}x build from the PyTorch wheel index, run this again); FORCE_CUDA=0 builds CPU ops only"; return
    fi
  fi
  want=cpu; [ "$GPU" = 1 ] && want=cuda
  if in_window "${F[mmcv]}" 2.0.0 2.2.0 && [ -n "$ops" ] && { [ "$want" = cpu ] || [ "$ops" = cuda ]; }; then
    decide mmcv keep "mmcv ${F[mmcv]} with $ops ops" "its ops import against torch ${F[torch]}"; return
  fi
  if [ -n "${F[mmcv_lite]}" ]; then
    decide mmcv_lite remove "mmcv-lite ${F[mmcv_lite]}" "detection needs mmcv with its compiled ops, which replaces it"
  fi
  if [ -z "${F[torch]}" ]; then
    decide mmcv build "mmcv $MMCV with compiled ops" "decided once torch is installed: against that torch, C++ standard from its headers, a cached wheel reused if one fits"; return
  fi
  if [ "$GPU" = 1 ]; then tag="cu${tc//./}.torch$(minor "${F[torch]}")"; else tag="cpu.torch$(minor "${F[torch]}")"; fi
  MMCV_TAG=$tag
  std=$(cxx_std); MMCV_STD=${std:-c++17}
  local why="no mmcv $MMCV with $want ops is installed${F[mmcv]:+ (mmcv ${F[mmcv]}${ops:+ has $ops ops}${ops:- has no working ops})}"
  local hw="CPU ops"
  if [ "$GPU" = 1 ]; then
    hw="CUDA ops (torch CUDA $tc, nvcc CUDA $nv_ver at $NVCC_PATH, ${F[cuda_devices]} GPU(s) visible)"
  elif [ "${FORCE_CUDA:-}" = 0 ]; then
    hw="CPU ops (FORCE_CUDA=0)"
  elif [ "${F[cuda_devices]:-0}" -gt 0 ]; then
    hw="CPU ops only: torch sees ${F[cuda_devices]} GPU(s) but no nvcc was found (install the CUDA ${tc} toolkit and set CUDA_HOME for GPU ops)"
  fi
  wheels=$(ls "$CACHE"/mmcv-$MMCV+$tag-"${F[python_tag]}"-*.whl 2>/dev/null | head -n1 || true)
  if [ -n "$wheels" ]; then
    MMCV_WHEEL=$wheels
    decide mmcv reuse "$wheels" "$why; the cached wheel is the $tag build, $hw"
  else
    MMCV_WHEEL=""
    decide mmcv build "mmcv $MMCV+$tag with $hw, -std=$MMCV_STD" "$why; no cached $tag wheel for ${F[python_tag]} in $CACHE (about 20 minutes on 2 cores for CPU ops)"
  fi
}

decide_mmcv_lite() {
  if in_window "${F[mmcv]}" 2.0.0 2.2.0; then
    decide mmcv keep "mmcv ${F[mmcv]}" "classification needs no compiled ops; the full mmcv serves it"
  elif in_window "${F[mmcv_lite]}" 2.0.0 2.2.0; then
    decide mmcv keep "mmcv-lite ${F[mmcv_lite]}" "classification needs no compiled ops"
  else
    [ -n "${F[mmcv]}" ] && decide mmcv_full remove "mmcv ${F[mmcv]}" "outside ltr_mm's window (>=2.0.0, <2.2.0)"
    decide mmcv install "mmcv-lite==$MMCV_LITE" "classification needs mmcv without compiled ops${F[mmcv_lite]:+ (mmcv-lite ${F[mmcv_lite]} is outside >=2.0.0, <2.2.0)}"
  fi
}

decide_pinned() {  # STEP DIST INSTALLED SPEC LOW HIGH
  if in_window "$3" "$5" "$6"; then decide "$1" keep "$2 $3" "inside ltr_mm's window (>=$5, <$6)"
  else decide "$1" install "$4" "${3:+$2 $3 is outside >=$5, <$6}${3:-not installed}"; fi
}

decide_all() {
  STEPS=(); ACT=(); WHAT=(); WHY=(); STOPPED=0; MMCV_WHEEL=""; MMCV_TAG=""; MMCV_STD=c++17
  if [ "${F[python_ok]}" != 1 ]; then
    stop python "Python ${F[python]}" "ltr_mm needs Python >= 3.9 (3.11 is the tested version)"; return
  fi
  if [ "${F[build_tools]}" = 1 ]; then decide build_tools keep "setuptools ${F[setuptools]}, wheel, ninja" "present"
  else decide build_tools install "$SETUPTOOLS wheel ninja" "missing or setuptools older than 77"; fi
  decide_torch; [ "$STOPPED" = 1 ] && return
  decide_pinned mmengine mmengine "${F[mmengine]}" mmengine==0.10.7 0.10.0 0.11.0
  if [ "$DET" = 1 ]; then decide_mmcv_full; [ "$STOPPED" = 1 ] && return
  else decide_mmcv_lite; fi
  if [ "$DET" = 1 ]; then decide_pinned mmdet mmdet "${F[mmdet]}" mmdet==3.3.0 3.3.0 3.4.0
  else decide mmdet skip "mmdet" "LTR_MM_TASKS=cls"; fi
  decide_pinned mmpretrain mmpretrain "${F[mmpretrain]}" mmpretrain==1.2.0 1.2.0 1.3.0
  if [ "$DET" = 1 ]; then
    if [ "${F[lvis]}" = 0.5.3 ] && [ "${F[faster_coco_eval]}" = 1.8.0 ] && [ -n "${F[pycocotools]}" ]; then
      decide eval keep "lvis, pycocotools, faster-coco-eval" "present"
    else decide eval install "lvis==0.5.3 pycocotools faster-coco-eval==1.8.0" "missing"; fi
  else decide eval skip "lvis, pycocotools, faster-coco-eval" "LTR_MM_TASKS=cls"; fi
  if [ "${F[test_tools]}" = 1 ]; then decide test_tools keep "pytest, pytest-xdist, tqdm, matplotlib" "present"
  else decide test_tools install "pytest pytest-xdist tqdm matplotlib" "missing"; fi
  if [ "${F[ltr_mm]}" = "$(realpath "$ROOT/ltr_mm")" ]; then decide ltr_mm keep "ltr_mm" "installed from $ROOT"
  else decide ltr_mm install "-e $ROOT" "${F[ltr_mm]:+installed from ${F[ltr_mm]}, not this checkout}${F[ltr_mm]:-not installed}"; fi
}

print_plan() {
  local step
  echo "ltr_mm install plan: $(command -v "$PY" || echo "$PY") (Python ${F[python]}), tasks: $([ "$DET" = 1 ] && echo 'det,cls' || echo 'cls')"
  for step in "${STEPS[@]}"; do
    printf '  %-8s %s: %s\n' "${ACT[$step]}" "${WHAT[$step]}" "${WHY[$step]}"
  done
}

# ---------------------------------------------------------------------------------------------
# Doing it.
# ---------------------------------------------------------------------------------------------
CURRENT=start
fail() { echo "ltr_mm install FAILED at step $CURRENT: $1" >&2; exit 1; }

build_mmcv() {
  local build src
  mkdir -p "$CACHE"
  build=$(mktemp -d)
  "$PY" -m pip download --disable-pip-version-check --no-deps --no-binary :all: -d "$build" "mmcv==$MMCV"
  tar -xzf "$build/mmcv-$MMCV.tar.gz" -C "$build"
  src="$build/mmcv-$MMCV"
  # The local version label names the build: mmcv-2.1.0+cpu.torch2.14-cp311-...whl.
  sed -i "s/^__version__ = '$MMCV'/__version__ = '$MMCV+$MMCV_TAG'/" "$src/mmcv/version.py"
  grep -q "^__version__ = '$MMCV+$MMCV_TAG'" "$src/mmcv/version.py" \
    || fail "could not set the version label in $src/mmcv/version.py"
  if [ "$MMCV_STD" = c++20 ]; then
    # mmcv 2.1.0 hard-codes -std=c++17; this torch's headers stop at anything below C++20.
    sed -i 's/-std=c++17/-std=c++20/g' "$src/setup.py"
    grep -q -- '-std=c++20' "$src/setup.py" || fail "could not raise the C++ standard in $src/setup.py"
  fi
  local cuda_env=(FORCE_CUDA=0)
  [ "$GPU" = 1 ] && cuda_env=(FORCE_CUDA=1 "CUDA_HOME=$(dirname "$(dirname "$NVCC_PATH")")")
  (cd "$src" && env MMCV_WITH_OPS=1 "${cuda_env[@]}" MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
    "$PY" -m pip wheel --disable-pip-version-check --no-build-isolation --no-deps -v \
    -w "$CACHE" . 2>&1 | grep --line-buffered -E '^\s*\[[0-9]+/[0-9]+\]|error:|Error|Created wheel' || true)
  MMCV_WHEEL=$(ls "$CACHE"/mmcv-$MMCV+$MMCV_TAG-"${F[python_tag]}"-*.whl 2>/dev/null | head -n1 || true)
  [ -n "$MMCV_WHEEL" ] || fail "mmcv $MMCV did not build; rerun with the build log: cd $src && MMCV_WITH_OPS=1 ${cuda_env[*]} $PY -m pip wheel --no-build-isolation --no-deps -v ."
  rm -rf "$build"
}

run_step() {  # STEP: carry out its decision
  local step=$1 act=${ACT[$1]}
  CURRENT="$step (${WHAT[$step]})"
  case "$act" in keep|skip) return 0 ;; stop) fail "${WHY[$step]}" ;; esac
  case "$step" in
    build_tools) "${PIP[@]}" "$SETUPTOOLS" wheel ninja ;;
    torch) "${PIP[@]}" "${TORCH_ARGS[@]}" "$SETUPTOOLS" ;;
    mmengine|mmdet|mmpretrain) "${PIP[@]}" "${WHAT[$step]}" ;;
    mmcv_lite) "$PY" -m pip uninstall -y mmcv-lite ;;
    mmcv_full) "$PY" -m pip uninstall -y mmcv ;;
    mmcv)
      if [ "$DET" = 0 ]; then "${PIP[@]}" "mmcv-lite==$MMCV_LITE"; return; fi
      [ "$act" = build ] && build_mmcv
      "${PIP[@]}" "$MMCV_WHEEL"
      (cd / && env -u PYTHONPATH "$PY" -c 'from mmcv.ops import RoIAlign') \
        || fail "mmcv is installed from $MMCV_WHEEL but mmcv.ops does not import"
      if [ "$GPU" = 1 ]; then
        (cd / && env -u PYTHONPATH "$PY" -c 'import sys; from mmcv.ops import get_compiling_cuda_version as v; print("    mmcv ops compiled with CUDA", v()); sys.exit(v() == "not available")') \
          || fail "mmcv from $MMCV_WHEEL has no CUDA ops although this build asked for them"
      fi ;;
    eval|test_tools) read -r -a pkgs <<< "${WHAT[$step]}"; "${PIP[@]}" "${pkgs[@]}" ;;
    ltr_mm) "${PIP[@]}" --no-build-isolation --no-deps -e "$ROOT" ;;
  esac
}

probe
decide_all
print_plan
if [ "$PLAN" = 1 ]; then
  echo "(--plan: nothing was changed)"
  exit "$STOPPED"
fi
[ "$STOPPED" = 1 ] && fail "$(for s in "${STEPS[@]}"; do [ "${ACT[$s]}" = stop ] && echo "${WHY[$s]}"; done)"
trap 'fail "command exited with status $? (see the output above)"' ERR

n=0
while [ "$n" -lt "${#STEPS[@]}" ]; do  # an index loop: STEPS can change after torch is installed
  step=${STEPS[$n]}
  n=$((n + 1))
  echo "[install $n/${#STEPS[@]}] ${ACT[$step]} ${WHAT[$step]}"
  run_step "$step"
  if [ "$step" = torch ] && [ "${ACT[torch]}" = install ]; then
    # mmcv's build depends on the torch now in place: decide it again.
    probe
    done_steps=("${STEPS[@]:0:$n}")
    decide_all
    STEPS=("${done_steps[@]}" "${STEPS[@]:$n}")
    [ "$STOPPED" = 1 ] && fail "$(for s in "${STEPS[@]}"; do [ "${ACT[$s]}" = stop ] && echo "${WHY[$s]}"; done)"
    echo "    torch ${F[torch]} installed; the rest of the plan:"
    for s in "${STEPS[@]:$n}"; do printf '      %-8s %s: %s\n' "${ACT[$s]}" "${WHAT[$s]}" "${WHY[$s]}"; done
  fi
done
(cd / && env -u PYTHONPATH "$PY" -c 'import ltr_mm; print("    ltr_mm", ltr_mm.__version__, "ready")')
trap - ERR

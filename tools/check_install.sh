#!/usr/bin/env bash
# Check the classification-only install as a new user gets it, in a fresh virtual environment:
#   bash tools/check_install.sh [VENV_DIR]
#   1. BASE_PYTHON -m venv VENV_DIR (default python3; VENV_DIR defaults to a new folder under
#      /tmp, removed at the end unless KEEP_VENV=1)
#   2. LTR_MM_TASKS=cls PYTHON=VENV_DIR/bin/python bash tools/install.sh (torch included;
#      TORCH_SPEC is passed on), then checks that neither mmdet nor mmcv's compiled ops are there
#   3. a tiny Fashion-MNIST-LT (tools/dataset_converters/make_fashion_lt.py, 300 .. 30 per class)
#   4. tools/train.py: the demo classifier config for 2 iterations; tools/test.py on its checkpoint
# Prints the time of every step; exits non-zero at the first step that fails, with its log.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BASE=${BASE_PYTHON:-python3}
VENV=${1:-$(mktemp -d /tmp/ltr_mm_check_install.XXXXXX)}
CONFIG=configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py
[ "${KEEP_VENV:-0}" = 1 ] || [ -n "${1:-}" ] || trap 'rm -rf "$VENV"' EXIT
cd "$ROOT"
unset PYTHONPATH
T0=$(date +%s)
times=()
timed() {  # NAME LOG CMD...: run CMD with its output in LOG, record its time
  local name=$1 log=$2 t rc=0
  shift 2
  t=$(date +%s)
  echo "[check_install] $name (log: $log)"
  "$@" > "$log" 2>&1 || rc=$?
  times+=("$(printf '%-44s %5d s' "$name" $(( $(date +%s) - t )))")
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$log" >&2
    echo "[check_install] FAILED: $name (exit $rc); full log: $log" >&2
    printf '  %s\n' "${times[@]}" >&2
    exit "$rc"
  fi
}

timed "fresh venv ($BASE -m venv)" "$VENV.venv.log" "$BASE" -m venv "$VENV"
PY="$VENV/bin/python"
timed "LTR_MM_TASKS=cls tools/install.sh" "$VENV.install.log" \
  env LTR_MM_TASKS=cls PYTHON="$PY" bash tools/install.sh
grep -E '^\[install|^ltr_mm install plan|^  (keep|install|skip|remove) ' "$VENV.install.log" || true
timed "no mmdet, no mmcv.ops" "$VENV.absent.log" "$PY" -c '
import importlib.util, sys
missing = [m for m in ("mmdet", "mmcv._ext") if importlib.util.find_spec(m) is None]
print("absent:", ", ".join(missing)); sys.exit(missing != ["mmdet", "mmcv._ext"])'
data="$VENV/fashion_mnist_lt"
timed "tiny Fashion-MNIST-LT" "$VENV.data.log" "$PY" tools/dataset_converters/make_fashion_lt.py \
  --src "$(bash tools/dataset_converters/ensure_fashion_mnist.sh)" --out "$data" \
  --n-max 300 --imb-factor 10 --max-test 200
# ShotAccuracy gets the training counts of this subset from the config's SetClassStatsHook
options=(train_cfg.max_epochs=1 train_cfg.val_begin=2 train_dataloader.batch_size=16)
for split in train val test; do
  options+=("${split}_dataloader.dataset.data_root=$data/" "${split}_dataloader.num_workers=0"
            "${split}_dataloader.persistent_workers=False")
done
options+=(train_dataloader.dataset.indices=32 val_dataloader.dataset.indices=64
          test_dataloader.dataset.indices=64)
timed "train, 2 iterations (tools/train.py)" "$VENV.train.log" env OMP_NUM_THREADS=1 \
  "$PY" tools/train.py "$CONFIG" --work-dir "$VENV/work" --cfg-options "${options[@]}"
grep -q 'Epoch(train) \[1\]\[2/2\]' "$VENV.train.log" \
  || { echo "[check_install] FAILED: no 2nd training iteration in $VENV.train.log" >&2; exit 1; }
timed "test (tools/test.py)" "$VENV.test.log" env OMP_NUM_THREADS=1 \
  "$PY" tools/test.py "$CONFIG" "$VENV/work/epoch_1.pth" --work-dir "$VENV/work" \
  --cfg-options "${options[@]}"
sed -n '/^Top-1 accuracy/,$p' "$VENV.test.log"
echo "[check_install] classification-only install checked in $(( $(date +%s) - T0 )) s:"
printf '  %s\n' "${times[@]}"

#!/usr/bin/env bash
# The demo behind `make demo`: train a small detector and a small classifier on the embedded
# long-tailed data, then print the LVIS results table and the many/medium/few accuracies.
#   bash tools/demo.sh DET_CONFIG CLS_CONFIG OUT_DIR [IOU_TYPES]
# IOU_TYPES defaults to "bbox"; use "bbox segm" with a Mask R-CNN config.
set -euo pipefail
DET_CFG=${1:?usage: tools/demo.sh DET_CONFIG CLS_CONFIG OUT_DIR}
CLS_CFG=${2:?usage: tools/demo.sh DET_CONFIG CLS_CONFIG OUT_DIR}
OUT=${3:?usage: tools/demo.sh DET_CONFIG CLS_CONFIG OUT_DIR}
read -r -a IOU_TYPES <<< "${4:-bbox}"
PY=${PYTHON:-python3}
# Evaluation runs once, in the test step below: mmengine would otherwise also validate after
# the last epoch whatever val_interval says, so validation starts after the last epoch.
NO_VAL="train_cfg.val_begin=1000"
mkdir -p "$OUT"
start=$(date +%s)
stamp() { echo "[demo $(( $(date +%s) - start ))s] $*"; }

stamp "training the detector: $DET_CFG"
"$PY" tools/train.py "$DET_CFG" --work-dir "$OUT/det" --cfg-options "$NO_VAL" > "$OUT/det_train.log" 2>&1 \
  || { tail -n 40 "$OUT/det_train.log"; exit 1; }
stamp "evaluating the detector (LVIS protocol)"
"$PY" tools/test_lvis.py "$DET_CFG" "$(cat "$OUT/det/last_checkpoint")" --eval "${IOU_TYPES[@]}" \
  --work-dir "$OUT/det" > "$OUT/det_test.log" 2>&1 || { tail -n 40 "$OUT/det_test.log"; exit 1; }
# The tool prints its tables after the runner's last test log line.
awk '/Epoch\(test\) +\[[0-9]+\/[0-9]+\] +lvis/ {table = ""; next} {table = table $0 "\n"}
     END {printf "%s", table}' "$OUT/det_test.log"
stamp "training the classifier: $CLS_CFG"
"$PY" tools/train.py "$CLS_CFG" --work-dir "$OUT/cls" --cfg-options "$NO_VAL" > "$OUT/cls_train.log" 2>&1 \
  || { tail -n 40 "$OUT/cls_train.log"; exit 1; }
stamp "evaluating the classifier (many / medium / few)"
"$PY" tools/test.py "$CLS_CFG" "$(cat "$OUT/cls/last_checkpoint")" --work-dir "$OUT/cls" \
  > "$OUT/cls_test.log" 2>&1 || { tail -n 40 "$OUT/cls_test.log"; exit 1; }
sed -n '/^Top-1 accuracy/,$p' "$OUT/cls_test.log"
stamp "done; logs and checkpoints in $OUT/"

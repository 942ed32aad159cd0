#!/usr/bin/env bash
# The demo behind `make demo`: train a small detector and a small classifier on the embedded
# long-tailed data, showing their progress, then print the LVIS results table and the
# many / medium / few accuracies, and where the logs are.
#   bash tools/demo.sh DET_CONFIG CLS_CONFIG OUT_DIR [IOU_TYPES]
# DET_CONFIG '-' skips the detector (classification only). IOU_TYPES defaults to "bbox"; use
# "bbox segm" with a Mask R-CNN config. DEMO_CLS_DATA=DIR trains and tests the classifier on a
# Fashion-MNIST-LT folder built by tools/dataset_converters/make_fashion_lt.py instead of the
# config's data_root. LOG_INTERVAL (default 10) is the number of iterations between progress lines.
set -euo pipefail
USAGE="usage: tools/demo.sh DET_CONFIG|- CLS_CONFIG OUT_DIR [IOU_TYPES]"
DET_CFG=${1:?$USAGE}
CLS_CFG=${2:?$USAGE}
OUT=${3:?$USAGE}
read -r -a IOU_TYPES <<< "${4:-bbox}"
PY=${PYTHON:-python3}
# Evaluation runs once, in the test step below: mmengine would otherwise also validate after
# the last epoch whatever val_interval says, so validation starts after the last epoch.
COMMON=("train_cfg.val_begin=1000" "default_hooks.logger.interval=${LOG_INTERVAL:-10}")
CLS_DATA=()
if [ -n "${DEMO_CLS_DATA:-}" ]; then
  root=$(cd "$DEMO_CLS_DATA" && pwd)
  [ -f "$root/class_stats.json" ] || { echo "DEMO_CLS_DATA=$DEMO_CLS_DATA: no class_stats.json" \
    "(build it with tools/dataset_converters/make_fashion_lt.py --out $DEMO_CLS_DATA)" >&2; exit 1; }
  # SetClassStatsHook of the config counts the training labels under this root for ShotAccuracy
  for split in train val test; do CLS_DATA+=("${split}_dataloader.dataset.data_root=$root/"); done
fi
mkdir -p "$OUT"
start=$(date +%s)
stamp() { echo "[demo $(( $(date +%s) - start ))s] $*"; }

# progress < runner log: the runner's iteration lines, shortened to epoch, iteration, eta, loss.
progress() {
  local awk=(awk)
  awk -W version 2>&1 | grep -q mawk && awk=(awk -W interactive)  # mawk buffers pipes
  "${awk[@]}" '/Epoch\((train|test)\)/ {
    match($0, /Epoch\((train|test)\) *\[[^]]*\](\[ *[0-9]+\/[0-9]+\])?/)
    line = "    " substr($0, RSTART, RLENGTH)
    if (match($0, /eta: [0-9:]+( days?, [0-9:]+)?/)) line = line "  " substr($0, RSTART, RLENGTH)
    if (match($0, / loss: [0-9.e+-]+/)) line = line " " substr($0, RSTART, RLENGTH)
    print line; fflush()
  }'
}

# run LOG CMD...: CMD's output goes to LOG; its progress lines are shown as it runs.
run() {
  local log=$1 pid
  shift
  : > "$log"
  "$@" > "$log" 2>&1 &
  pid=$!
  tail -n +1 -f --pid="$pid" "$log" | progress || true
  if ! wait "$pid"; then
    echo "FAILED: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}

if [ "$DET_CFG" != - ]; then
  stamp "training the detector: $DET_CFG (log: $OUT/det_train.log)"
  run "$OUT/det_train.log" "$PY" tools/train.py "$DET_CFG" --work-dir "$OUT/det" \
    --cfg-options "${COMMON[@]}"
  stamp "evaluating the detector, LVIS protocol (log: $OUT/det_test.log)"
  run "$OUT/det_test.log" "$PY" tools/test_lvis.py "$DET_CFG" "$(cat "$OUT/det/last_checkpoint")" \
    --eval "${IOU_TYPES[@]}" --work-dir "$OUT/det" --cfg-options "${COMMON[@]}"
fi
stamp "training the classifier: $CLS_CFG${DEMO_CLS_DATA:+ on $DEMO_CLS_DATA} (log: $OUT/cls_train.log)"
run "$OUT/cls_train.log" "$PY" tools/train.py "$CLS_CFG" --work-dir "$OUT/cls" \
  --cfg-options "${COMMON[@]}" "${CLS_DATA[@]}"
stamp "evaluating the classifier, many / medium / few (log: $OUT/cls_test.log)"
run "$OUT/cls_test.log" "$PY" tools/test.py "$CLS_CFG" "$(cat "$OUT/cls/last_checkpoint")" \
  --work-dir "$OUT/cls" --cfg-options "${COMMON[@]}" "${CLS_DATA[@]}"

echo
if [ "$DET_CFG" != - ]; then
  echo "== Detector: $DET_CFG, LVIS protocol =="
  # The tool prints its tables after the runner's last test log line.
  awk '/Epoch\(test\) +\[[0-9]+\/[0-9]+\] +lvis/ {table = ""; next} {table = table $0 "\n"}
       END {printf "%s", table}' "$OUT/det_test.log"
  echo
fi
echo "== Classifier: $CLS_CFG${DEMO_CLS_DATA:+ on $DEMO_CLS_DATA} =="
sed -n '/^Top-1 accuracy/,$p' "$OUT/cls_test.log"
echo
stamp "done. Logs: $OUT/{$([ "$DET_CFG" != - ] && echo 'det_train,det_test,')cls_train,cls_test}.log; checkpoints and runner logs: $OUT/$([ "$DET_CFG" != - ] && echo '{det,cls}' || echo cls)/"

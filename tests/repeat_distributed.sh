#!/usr/bin/env bash
# Repeat the distributed tests N times in a row (default 20) and count the runs that failed and
# the processes that aborted at exit ("terminate called without an active exception"). Not part
# of `make test`; run it after touching process-group setup or teardown:
#   bash tests/repeat_distributed.sh [N] [pytest selection, default tests/test_distributed]
# Each run's output is kept in $LOG_DIR (default a new folder under /tmp).
set -uo pipefail
N=${1:-20}
shift || true
if [ "$#" -gt 0 ]; then SELECTION=("$@"); else SELECTION=(tests/test_distributed); fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOG_DIR=${LOG_DIR:-$(mktemp -d /tmp/ltr_mm_repeat_distributed.XXXXXX)}
mkdir -p "$LOG_DIR"
cd "$ROOT"
failed=0
aborted=0
start=$(date +%s)
for i in $(seq 1 "$N"); do
  log="$LOG_DIR/run_$i.log"
  t0=$(date +%s)
  OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "${PYTHON:-python3}" -m pytest "${SELECTION[@]}" -q \
    -p no:cacheprovider > "$log" 2>&1
  rc=$?
  aborts=$(grep -c 'terminate called without an active exception' "$log" || true)
  aborted=$((aborted + aborts))
  [ "$rc" -ne 0 ] && failed=$((failed + 1))
  echo "run $i/$N: exit $rc, $aborts abort(s) at exit, $(( $(date +%s) - t0 )) s: $(tail -n 1 "$log")"
done
echo "$N runs in $(( $(date +%s) - start )) s: $failed failed, $aborted process abort(s) at exit; logs in $LOG_DIR"
[ "$failed" -eq 0 ] && [ "$aborted" -eq 0 ]

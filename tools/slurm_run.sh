#!/usr/bin/env bash
# Usage: [GPUS=8 GPUS_PER_NODE=8 CPUS_PER_TASK=5 SRUN=srun SRUN_ARGS=...] \
#          tools/slurm_run.sh PARTITION JOB_NAME SCRIPT [script args...]
# What tools/slurm_train.sh and tools/slurm_test.sh run: GPUS tasks started by srun on
# PARTITION (GPUS_PER_NODE per node, one GPU each; GPUS_PER_NODE=0 asks for no GPU, for CPU
# partitions with gloo), each running `python -u SCRIPT [script args...]` with ltr_mm's root
# on PYTHONPATH. SRUN names the srun binary (default srun); SRUN_ARGS adds srun options, e.g.
# SRUN_ARGS="--quotatype=auto".
set -euo pipefail
USAGE="usage: tools/slurm_run.sh PARTITION JOB_NAME SCRIPT [script args...]"
PARTITION=${1:?$USAGE}
JOB_NAME=${2:?$USAGE}
SCRIPT=${3:?$USAGE}
shift 3
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-$(( GPUS < 8 ? GPUS : 8 ))}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
read -r -a EXTRA <<< "${SRUN_ARGS:-}"
GRES=()
PER_NODE=$GPUS_PER_NODE
if [ "$GPUS_PER_NODE" -gt 0 ]; then GRES=(--gres="gpu:$GPUS_PER_NODE"); else PER_NODE=$GPUS; fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHONPATH="$ROOT:${PYTHONPATH:-}" exec "${SRUN:-srun}" -p "$PARTITION" --job-name="$JOB_NAME" \
  "${GRES[@]}" --ntasks="$GPUS" --ntasks-per-node="$PER_NODE" \
  --cpus-per-task="$CPUS_PER_TASK" --kill-on-bad-exit=1 "${EXTRA[@]}" \
  "${PYTHON:-python3}" -u "$SCRIPT" "$@"

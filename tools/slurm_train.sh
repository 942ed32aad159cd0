#!/usr/bin/env bash
# Usage: [GPUS=8 GPUS_PER_NODE=8 CPUS_PER_TASK=5 SRUN_ARGS=...] \
#          tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args...]
# Starts GPUS tasks with srun (GPUS_PER_NODE per node, one GPU each) running
# `tools/train.py CONFIG --work-dir WORK_DIR --launcher slurm`; each task takes its rank from
# SLURM_PROCID / SLURM_NTASKS / SLURM_LOCALID and the master from SLURM_NODELIST (MASTER_ADDR and
# MASTER_PORT override). GPUS_PER_NODE=0 asks for no GPU (CPU partitions: gloo). SRUN names the
# srun binary (default srun); SRUN_ARGS adds srun options, e.g. SRUN_ARGS="--quotatype=auto".
set -euo pipefail
USAGE="usage: tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args...]"
PARTITION=${1:?$USAGE}
JOB_NAME=${2:?$USAGE}
CONFIG=${3:?$USAGE}
WORK_DIR=${4:?$USAGE}
shift 4
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
  "${PYTHON:-python3}" -u "$ROOT/tools/train.py" "$CONFIG" --work-dir="$WORK_DIR" \
  --launcher=slurm "$@"

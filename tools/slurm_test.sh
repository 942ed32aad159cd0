#!/usr/bin/env bash
# Usage: [GPUS=8 GPUS_PER_NODE=8 CPUS_PER_TASK=5 SRUN_ARGS=...] \
#          tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py args...]
# Starts GPUS tasks with srun running `tools/test.py CONFIG CHECKPOINT --launcher slurm`; the
# srun variables are those of tools/slurm_run.sh (GPUS_PER_NODE=0: no GPU, gloo; SRUN,
# SRUN_ARGS).
set -euo pipefail
USAGE="usage: tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py args...]"
PARTITION=${1:?$USAGE}
JOB_NAME=${2:?$USAGE}
CONFIG=${3:?$USAGE}
CHECKPOINT=${4:?$USAGE}
shift 4
TOOLS=$(cd "$(dirname "$0")" && pwd)
exec bash "$TOOLS/slurm_run.sh" "$PARTITION" "$JOB_NAME" "$TOOLS/test.py" "$CONFIG" \
  "$CHECKPOINT" --launcher=slurm "$@"

#!/usr/bin/env bash
# Usage: [GPUS=8 GPUS_PER_NODE=8 CPUS_PER_TASK=5 SRUN_ARGS=...] \
#          tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args...]
# Starts GPUS tasks with srun (GPUS_PER_NODE per node, one GPU each) running
# `tools/train.py CONFIG --work-dir WORK_DIR --launcher slurm`; each task takes its rank from
# SLURM_PROCID / SLURM_NTASKS / SLURM_LOCALID and the master from SLURM_NODELIST (MASTER_ADDR and
# MASTER_PORT override). The srun variables are those of tools/slurm_run.sh (GPUS_PER_NODE=0:
# no GPU, gloo; SRUN, SRUN_ARGS).
set -euo pipefail
USAGE="usage: tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py args...]"
PARTITION=${1:?$USAGE}
JOB_NAME=${2:?$USAGE}
CONFIG=${3:?$USAGE}
WORK_DIR=${4:?$USAGE}
shift 4
TOOLS=$(cd "$(dirname "$0")" && pwd)
exec bash "$TOOLS/slurm_run.sh" "$PARTITION" "$JOB_NAME" "$TOOLS/train.py" "$CONFIG" \
  --work-dir="$WORK_DIR" --launcher=slurm "$@"

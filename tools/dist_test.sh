#!/usr/bin/env bash
# Usage: tools/dist_test.sh CONFIG CKPT NUM_PROCS [test.py args...]
# Runs NUM_PROCS processes with torchrun: nccl on GPUs, gloo on a CPU-only machine (the
# configs pick the backend through env_cfg.dist_cfg; see configs/_base_/default_runtime_*.py).
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR and PORT on every node.
set -euo pipefail
CONFIG=${1:?usage: tools/dist_test.sh CONFIG CKPT NUM_PROCS [args...]}
CKPT=${2:?usage: tools/dist_test.sh CONFIG CKPT NUM_PROCS [args...]}
NPROCS=${3:?usage: tools/dist_test.sh CONFIG CKPT NUM_PROCS [args...]}
shift 3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHONPATH="$ROOT:${PYTHONPATH:-}" exec "${PYTHON:-python3}" -m torch.distributed.run \
  --nnodes="$NNODES" --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
  --nproc_per_node="$NPROCS" --master_port="$PORT" \
  "$ROOT/tools/test.py" "$CONFIG" "$CKPT" --launcher pytorch "$@"

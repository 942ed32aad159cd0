#!/usr/bin/env bash
# Make sure the Fashion-MNIST idx files are on disk; print the folder that holds them.
# Looks in $FASHION_MNIST_DIR (default /usr/share/datasets/fashion-mnist, where the Debian
# package dataset-fashion-mnist puts them) and installs that package with apt-get if needed.
set -euo pipefail
SRC=${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}
FILES="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
present() { for f in $FILES; do [ -f "$SRC/$f.gz" ] || [ -f "$SRC/$f" ] || return 1; done; }
if ! present; then
  if [ -z "${FASHION_MNIST_DIR:-}" ] && command -v apt-get >/dev/null 2>&1; then
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "Fashion-MNIST not found in $SRC: installing the Debian package dataset-fashion-mnist" >&2
    ($SUDO apt-get update -qq && $SUDO apt-get install -y -qq dataset-fashion-mnist) >&2 || true
  fi
fi
if ! present; then
  cat >&2 <<MSG
Fashion-MNIST idx files were not found in $SRC.
  - On Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist
  - Elsewhere: put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
    t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (the official Fashion-MNIST
    files, gzipped or not) into one folder and run with FASHION_MNIST_DIR=/that/folder.
MSG
  exit 1
fi
echo "$SRC"

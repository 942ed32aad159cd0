# ltr_mm: one command for the demo, one for the tests. Both install what is missing first.
#   make demo | make test                       detection and classification (mmcv with its ops)
#   LTR_MM_TASKS=cls make demo | make test      classification only (mmcv-lite, no mmdet, no build)
PYTHON ?= python3
export PYTHON
LTR_MM_TASKS ?= det,cls
export LTR_MM_TASKS
DEMO_DIR ?= work_dirs/demo
DET_CFG := configs/baselines/faster-rcnn_r18-w32_fpn_1xb4-1e_fashion-lvis.py
CLS_CFG := configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py
# The demo classifier's data: Fashion-MNIST-LT, imbalance factor 100 from 1000 training images
# down to 10 (2,478 images; many-shot > 100: 5 classes, medium: 3, few-shot < 20: 2).
DEMO_CLS_DATA := data/fashion_mnist_lt_demo
export DEMO_CLS_DATA
FASHION_LVIS := data/fashion_lvis/annotations/lvis_v1_heldout.json
ifeq ($(LTR_MM_TASKS),cls)
DEMO_DET := -
DEMO_DATA := $(DEMO_CLS_DATA)/class_stats.json
else
DEMO_DET := $(DET_CFG)
DEMO_DATA := $(DEMO_CLS_DATA)/class_stats.json $(FASHION_LVIS)
endif

# The lint check of CI and of .pre-commit-config.yaml (settings in ruff.toml).
RUFF_VERSION := 0.17.6

.PHONY: install data demo test lint

install:
	bash tools/install.sh

data/fashion_mnist_lt/class_stats.json:
	$(PYTHON) tools/dataset_converters/make_fashion_lt.py \
	    --src "$$(bash tools/dataset_converters/ensure_fashion_mnist.sh)" --out data/fashion_mnist_lt \
	    --val-per-class 100 --overwrite

$(DEMO_CLS_DATA)/class_stats.json:
	$(PYTHON) tools/dataset_converters/make_fashion_lt.py \
	    --src "$$(bash tools/dataset_converters/ensure_fashion_mnist.sh)" --out $(DEMO_CLS_DATA) \
	    --n-max 1000 --imb-factor 100 --overwrite

$(FASHION_LVIS):
	$(PYTHON) tools/dataset_converters/make_lt_detection.py \
	    --src "$$(bash tools/dataset_converters/ensure_fashion_mnist.sh)" --out data/fashion_lvis --overwrite

data: install data/fashion_mnist_lt/class_stats.json $(DEMO_DATA)

demo: install $(DEMO_DATA)
	bash tools/demo.sh $(DEMO_DET) $(CLS_CFG) $(DEMO_DIR)

test: install
	bash tools/dataset_converters/ensure_fashion_mnist.sh >/dev/null
	$(PYTHON) -m pytest tests -q -p no:cacheprovider -rs --durations=15 -n 2 --dist worksteal

lint:
	$(PYTHON) -m ruff --version 2>/dev/null | grep -qx 'ruff $(RUFF_VERSION)' \
	    || $(PYTHON) -m pip install --disable-pip-version-check -q ruff==$(RUFF_VERSION)
	$(PYTHON) -m ruff check .

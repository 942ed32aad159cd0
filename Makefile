# ltr_mm: one command for the demo, one for the tests. Both install what is missing first.
PYTHON ?= python3
export PYTHON
DEMO_DIR ?= work_dirs/demo
DET_CFG := configs/baselines/faster-rcnn_r18-w32_fpn_1xb4-2e_fashion-lvis.py
CLS_CFG := configs/baselines/ce_resnet32_1xb128-6e_fashion-mnist-lt-r100.py

.PHONY: install data demo test

install:
	bash tools/install.sh

data/fashion_mnist_lt/class_stats.json:
	$(PYTHON) tools/dataset_converters/make_fashion_lt.py \
	    --src "$$(bash tools/dataset_converters/ensure_fashion_mnist.sh)" --out data/fashion_mnist_lt \
	    --val-per-class 100 --overwrite

data/fashion_lvis/annotations/lvis_v1_heldout.json:
	$(PYTHON) tools/dataset_converters/make_lt_detection.py \
	    --src "$$(bash tools/dataset_converters/ensure_fashion_mnist.sh)" --out data/fashion_lvis --overwrite

data: install data/fashion_mnist_lt/class_stats.json data/fashion_lvis/annotations/lvis_v1_heldout.json

demo: data
	bash tools/demo.sh $(DET_CFG) $(CLS_CFG) $(DEMO_DIR)

test: install
	bash tools/dataset_converters/ensure_fashion_mnist.sh >/dev/null
	$(PYTHON) -m pytest tests -q -p no:cacheprovider

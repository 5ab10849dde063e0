# The two commands of the README: `make site` builds the sample site into site/,
# `make test` installs everything the tests need and runs them all.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium zbar-tools poppler-utils fonts-noto-cjk

.PHONY: site test deps test-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

deps: $(BIN)/python
	$(BIN)/pip install --quiet -e .

site: deps
	$(BIN)/mkdocs build --strict

# System packages (Chromium for the browser tests, zbar and poppler for the QR
# tests, CJK fonts so screenshots show Chinese) come from Debian.
test-deps: $(BIN)/python
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "需要安装 Debian 软件包：$$missing（请以 root 运行 apt-get install）"; exit 1; fi; \
	fi
	$(BIN)/pip install --quiet -e '.[test]'

# The package's bytecode is written once: the tests run MkDocs in ~200 processes, and where
# PYTHONDONTWRITEBYTECODE is set (CI images) each would compile the package again.
# The tests build ~200 throwaway sites (~17,000 files): in memory where the machine has a
# writable tmpfs, unless TMPDIR says otherwise. On a disk, creating files soon after many were
# deleted is slow (perf on this machine's ext4: its scan past recently deleted inodes).
TEST_TMPDIR := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm)

test: test-deps
	$(BIN)/python -m compileall -q gazette tools
	TMPDIR="$${TMPDIR:-$(TEST_TMPDIR)}" $(BIN)/python -m pytest -n 2 --dist loadfile -p no:cacheprovider tests

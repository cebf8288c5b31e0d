# Two entry points: `make run` (set up, build the index, start the web UI) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
QUESTION ?= 2021年地区生产总值是多少

.PHONY: setup model index run ask test browser clean

setup: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first and exactly 2.13.0: any other spec pulls gigabytes of CUDA packages.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,milvus]'
	rm -f $(VENV)/.installed-* && touch $@

model: $(STAMP)
	$(BIN)/qa prepare-model

index: model
	$(BIN)/qa build

ask: index
	$(BIN)/qa search "$(QUESTION)" -k 3

run: index
	$(BIN)/python app.py

# The browser tests drive Debian's Chromium; install it when it is missing. The OCR tests draw their
# scans with a CJK font (fonts-noto-cjk), installed when fontconfig knows none.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fontconfig fonts-noto-cjk >/dev/null; }

test: model browser
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) index/CURRENT index/build-*

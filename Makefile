# The two commands of the README. Both create .venv when it is missing and
# install what they need, so they work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CORPUS ?= data/corpus
OUT ?= out

.PHONY: test report lab install install-test install-lab clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/pip install -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

test: $(VENV)/.installed-test
	MPLBACKEND=Agg $(BIN)/python -m pytest -q

$(VENV)/.installed-lab: $(BIN)/python pyproject.toml
	$(BIN)/pip install -e ".[notebooks]"
	touch $@ $(VENV)/.installed

install-lab: $(VENV)/.installed-lab

# JupyterLab on the notebooks; rerun one on your own folder with papermill, e.g.
#   .venv/bin/papermill notebooks/02_coverage.ipynb out/02_mine.ipynb -p CORPUS path/to/notices
lab: $(VENV)/.installed-lab
	$(BIN)/jupyter lab notebooks/

report: $(VENV)/.installed
	MPLBACKEND=Agg $(BIN)/policylab report $(CORPUS) --out $(OUT)

clean:
	rm -rf $(VENV) $(OUT) *.egg-info

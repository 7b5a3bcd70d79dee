# Haven. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export RASA_TELEMETRY_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

help: ## list the targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@py=$$(scripts/find-python310.sh) && echo "Using $$py" && \
	  { [ -x $(BIN)/python ] && $(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' || $$py -m venv --clear $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade 'pip==24.3.1'
	@echo "Installing the pinned dependencies (first time: about 2-3 minutes, 2.8 GB)..."
	$(BIN)/python -m pip install --progress-bar on -c constraints.txt -e '.[test]'
	@touch $@

venv: $(STAMP) ## create .venv with Python 3.10 and install the pinned dependencies

train: venv ## train the model into models/ (skipped when one for the current data exists)
	$(BIN)/haven train

i18n-extract: venv ## write translations/*.pot from the code and content/
	$(BIN)/haven i18n extract

i18n-update: venv ## merge the templates into every locale's .po (new entries empty, for translators)
	$(BIN)/haven i18n update

i18n-compile: venv ## compile translations/*/LC_MESSAGES/*.po into .mo
	$(BIN)/haven i18n compile

run: venv i18n-compile train ## set up everything and serve on 127.0.0.1:8000 (development)
	HAVEN_ENV=development $(BIN)/haven serve --host 127.0.0.1 --port 8000

run-cluster: venv i18n-compile train ## a local Redis and two instances on :8001 and :8002 sharing it
	scripts/run-cluster.sh

bench: venv i18n-compile train ## benchmark against `rasa run` on the same model (writes bench/results.md)
	$(BIN)/python bench/run.py

test: venv i18n-compile ## run the whole test suite (trains the model once if needed)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: venv ## validate content and catalogs
	$(BIN)/haven content check

lock: venv ## rewrite constraints.txt from the installed environment
	{ echo '# The whole resolved dependency set, pinned (Python 3.10, Linux). Regenerate with `make lock`.'; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt

clean: ## remove the virtual environment, models and local data
	rm -rf $(VENV) models var .pytest_cache

.PHONY: help venv train i18n-compile i18n-extract i18n-update run run-cluster bench test check lock clean

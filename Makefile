# Two commands a new user needs: `make report` and `make test`. Each sets itself up:
# a .venv with the package, the Jupyter kernel the notebooks use, and the demo data.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := data/demo
PERIODS := $(sort $(filter-out params/defaults.yaml,$(wildcard params/*.yaml)))

.PHONY: report test setup demo browser lint clean

report: setup demo
	$(BIN)/account-analysis run $(PERIODS)

test: setup demo browser
	$(BIN)/python -m pytest

# Headless Chromium for the rendered-HTML tests (Debian's package; root installs it).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
		echo "chromium is not installed: browser tests will be skipped"

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name account-analysis \
		--display-name "Python (account_analysis)"
	touch $@

demo: $(DEMO)/.complete

$(DEMO)/.complete: $(VENV)/.installed account_analysis/demo.py
	rm -rf $(DEMO)
	$(BIN)/account-analysis demo-data $(DEMO)
	touch $@

lint: setup
	$(BIN)/ruff check account_analysis tests benchmarks

clean:
	rm -rf $(VENV) data reports/*/ .pytest_cache .hypothesis

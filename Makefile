# Two commands a new user needs: `make report` and `make test`. Each sets itself up:
# a .venv with the package, the Jupyter kernel the notebooks use, and the demo data.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := data/demo
PERIODS := $(sort $(filter-out params/defaults.yaml,$(wildcard params/*.yaml)))

# Test processes (pytest-xdist): `auto` is one per core; an idle worker takes tests queued
# for a busy one (worksteal), the longest first (tests/conftest.py);
# the demo dataset and the rendered demo periods are built once per run and shared
# (tests/conftest.py). Any pytest failure fails make, exit code 5 (no test ran) included.
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

.PHONY: report test test-fast setup demo browser lint clean

report: setup demo
	$(BIN)/account-analysis run $(PERIODS)

test: setup demo browser
	$(PYTEST) --durations=25 $(PYTEST_ARGS)

# The edit loop: everything but the notebook, browser and long property runs (marked slow).
test-fast: setup demo
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

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

# The generator and the story it tells (account_analysis/authoring/demo/data/*.yaml).
$(DEMO)/.complete: $(VENV)/.installed $(wildcard account_analysis/authoring/demo/*.py) \
		$(wildcard account_analysis/authoring/demo/data/*.yaml)
	rm -rf $(DEMO)
	$(BIN)/account-analysis demo-data $(DEMO)
	touch $@

lint: setup
	$(BIN)/ruff check account_analysis tests benchmarks
	$(BIN)/ruff format --check account_analysis tests benchmarks

clean:
	rm -rf $(VENV) data reports/*/ .pytest_cache .hypothesis

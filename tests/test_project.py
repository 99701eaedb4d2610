"""Project hygiene: dependencies in step, notebooks without outputs, contract in step."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib

import pytest
import yaml

from account_analysis import config
from account_analysis.load.contract_doc import contract_markdown
from account_analysis.settings.parameters import MAIL_KEYS

ROOT = config.PROJECT_ROOT


# conda-forge names that differ from the PyPI name of the same package
CONDA_NAMES = {"python-duckdb": "duckdb"}


def _name(requirement: str) -> str:
    name = re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")
    return CONDA_NAMES.get(name, name)


def test_environment_yml_names_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == wanted
    assert env["dependencies"][-1] == {"pip": ["-e ."]}
    assert "conda-forge" in env["channels"]
    assert "python=3.11" in env["dependencies"]


def test_notebooks_are_committed_without_outputs():
    notebooks = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text())
        for c in nb["cells"]:
            assert not c.get("outputs") and not c.get("execution_count"), path.name
            assert c.get("id"), f"{path.name}: a cell without an id (nbformat 4.5)"
        assert nb["metadata"]["kernelspec"]["name"] == config.KERNEL_NAME


# Each notebook's own parameters: the runner's score file (render.scores), and the group of
# a briefing.
NOTEBOOK_PARAMETERS = {
    "account_briefing": {"group_id", "score_file"},
    "large_account_rationale": {"score_file"},
    "revenue_concentration": {"score_file"},
}


def test_parameters_cell_leaves_the_shared_defaults_to_the_params_files():
    # One source of truth: a shared parameter is None in the notebook (open_score then takes
    # it from params/defaults.yaml and params/<period>.yaml, as the batch runs the period);
    # a literal here hid the period file's language from an analyst in JupyterLab.
    defaults = yaml.safe_load((config.PARAMS_DIR / "defaults.yaml").read_text())
    for path in sorted(config.NOTEBOOKS_DIR.glob("*.ipynb")):
        nb = json.loads(path.read_text())
        cells = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
        assert len(cells) == 1, path.name
        source = "".join(cells[0]["source"])
        names = {}
        for line in source.splitlines():
            if line.startswith("# "):
                continue
            m = re.match(r"^(\w+): (\w+) = (.+?)  # .+$", line)
            assert m, f"{path.name}: not an annotated literal with a comment: {line!r}"
            names[m.group(1)] = eval(m.group(3), {})  # literals only
        for key in defaults:
            if key in MAIL_KEYS:  # for `send`, never notebook parameters
                assert key not in names, (path.name, key)
                continue
            assert key in names and names[key] is None, (path.name, key)
        # A notebook's own parameters beside the shared ones (the batch injects them).
        extra = set(names) - set(defaults) - {"period"}
        assert extra == NOTEBOOK_PARAMETERS.get(path.stem, set()), (path.name, extra)


def test_data_contract_doc_is_generated_from_schema():
    doc = (ROOT / "docs" / "data-contract.md").read_text()
    marker = "<!-- BEGIN GENERATED TABLES -->\n"
    start = doc.index(marker) + len(marker)
    end = doc.index("<!-- END GENERATED TABLES -->")
    assert doc[start:end] == contract_markdown(), (
        "run: python -m account_analysis.load.contract_doc"
    )


def test_readme_shows_the_two_commands_near_the_top():
    head = (ROOT / "README.md").read_text().splitlines()[:30]
    assert any(line.startswith("make report") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_ruff_finds_nothing():
    import subprocess
    import sys
    from pathlib import Path

    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "account_analysis", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_code_is_formatted():
    """`ruff format --check` (as `make lint` runs it): one layout, so diffs show changes."""
    import subprocess
    import sys
    from pathlib import Path

    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "format", "--check", "account_analysis", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_makefile_runs_the_tests_in_parallel_with_a_fast_target():
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^PYTEST := .*-m pytest -n \$\(TEST_WORKERS\)", make, re.M)
    assert re.search(r'^test-fast:.*\n\t\$\(PYTEST\) -m "not slow"', make, re.M)
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"][
        "dev"
    ]
    assert any(_name(r) == "pytest-xdist" for r in dev)


@pytest.mark.slow
def test_make_test_fails_when_no_test_runs():
    """pytest's exit code 5 (nothing collected) must fail make, and so .ci/run."""
    result = subprocess.run(
        [
            "make",
            "-s",
            "test-fast",
            "TEST_WORKERS=1",
            "PYTEST_ARGS=tests/test_project.py -k no_test_is_named_so",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "no tests ran" in result.stdout, result.stdout + result.stderr
    assert result.returncode != 0


def test_the_shared_fixtures_notice_a_change_in_place():
    """The session's demo dataset and cube are shared; their fingerprint catches a test that
    changes one in place."""
    from conftest import fingerprint, make_dataset

    ds = make_dataset(
        {
            "invoice_id": ["F1"],
            "invoice_date": ["2026-01-05"],
            "billing_account": ["C1"],
            "net_amount": [100],
        },
        {"account_id": ["C1"], "name": ["One"]},
    )
    before = fingerprint(ds)
    assert fingerprint(ds) == before
    ds.accounts.loc[0, "name"] = "Changed"
    assert fingerprint(ds) != before

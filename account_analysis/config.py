"""Paths of the project, anchored on the package location (never on the working directory)."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
PARAMS_DIR = PROJECT_ROOT / "params"
REPORTS_DIR = PROJECT_ROOT / "reports"
DEMO_DATA_DIR = PROJECT_ROOT / "data" / "demo"
TEMPLATES_DIR = PACKAGE_DIR / "render" / "templates"  # nbconvert templates and their CSS
CACHE_DIR = PROJECT_ROOT / "data" / "cache"  # consolidated cubes, keyed by input content

# The Jupyter kernel the notebooks declare; `make` registers it inside .venv.
KERNEL_NAME = "account-analysis"


def resolve(path: str | Path) -> Path:
    """An absolute path; a relative one is taken relative to the project root.

    >>> resolve("data/demo") == PROJECT_ROOT / "data" / "demo"
    True
    """
    p = Path(path).expanduser()
    return p if p.is_absolute() else PROJECT_ROOT / p

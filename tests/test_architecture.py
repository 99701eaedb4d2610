"""The pipeline in the folders: each stage a subpackage, imports flowing one way, downwards.

settings → load → consolidate → analysis → present → render → deliver; authoring (demo,
plan templates, link suggestions) beside them, the batch runner and the command line on
top. A module may import its own stage, an earlier one, or the foundation modules every
stage shares (errors, config, periods, files); never a later stage, and never another
module's private names.
"""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import account_analysis

PACKAGE = Path(account_analysis.__file__).parent
FOUNDATION = ("errors", "config", "periods", "files", "words")
STAGES = (
    "settings",
    "load",
    "consolidate",
    "analysis",
    "present",
    "render",
    "deliver",
    "authoring",
    "batch",
    "cli",
    "__init__",
)
# Upward imports still to be removed (none now: analysis returns facts, present puts them
# in words). An entry must still exist; remove it with the import.
KNOWN_UPWARD: set[tuple[str, str]] = set()


def _rank(module: str) -> int:
    top = module.split(".")[0]
    return -1 if top in FOUNDATION else STAGES.index(top)


def _imports(path: Path, package: Path):
    """(imported module relative to the package, imported names, line) of each in-package
    import of the file at ``path``."""
    rel = path.relative_to(package).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    here = parts if path.name == "__init__.py" else parts[:-1]  # the file's package
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "account_analysis":
                target = node.module.split(".")[1:]
            else:
                continue
            names = [a.name for a in node.names]
            if not node.module and node.level:  # from . import x: x is a module
                for name in names:
                    yield ".".join([*target, name]), [], node.lineno
            else:
                yield ".".join(target), names, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "account_analysis":
                    yield ".".join(alias.name.split(".")[1:]), [], node.lineno


def violations(package: Path) -> tuple[set, list[str]]:
    """(upward imports as (module, imported module), private-name imports)."""
    upward, private = set(), []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).with_suffix("")
        module = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts) or "__init__"
        for target, names, line in _imports(path, package):
            if not target or target == module:
                continue
            if _rank(target) > _rank(module):
                upward.add((module, target))
            private += [
                f"{rel}.py:{line} imports {target}.{name}"
                for name in names
                if name.startswith("_") and not name.startswith("__")
            ]
    return upward, private


def test_every_module_belongs_to_a_stage_or_the_foundation():
    for path in PACKAGE.rglob("*.py"):
        top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        assert top in FOUNDATION or top in STAGES, path


def test_imports_flow_downwards_and_no_module_imports_a_private_name():
    upward, private = violations(PACKAGE)
    assert upward - KNOWN_UPWARD == set()
    assert KNOWN_UPWARD - upward == set(), "fixed: remove it from KNOWN_UPWARD"
    assert private == []


def test_a_planted_upward_import_and_private_import_are_found(tmp_path):
    copy = tmp_path / "account_analysis"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    schema = copy / "load" / "schema.py"
    schema.write_text(
        schema.read_text(encoding="utf-8")
        + "\nfrom ..present.format import Html  # planted\n"
        + "from account_analysis.render.html import _LANGUAGE_TAG  # planted\n",
        encoding="utf-8",
    )
    upward, private = violations(copy)
    assert {
        ("load.schema", "present.format"),
        ("load.schema", "render.html"),
    } <= upward - KNOWN_UPWARD
    assert any(p.endswith("imports render.html._LANGUAGE_TAG") for p in private), private


def test_no_module_over_the_size_a_reader_keeps_in_mind():
    # Modules still to be split (issue: one concept per module); each must still be long.
    still_long: set[str] = set()
    long = {
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if len(p.read_text(encoding="utf-8").splitlines()) > 600
    }
    assert long - still_long == set()
    assert still_long - long == set(), "split: remove it from still_long"


def _has_example(path: Path) -> bool:
    """Whether the module's docstring, or one of its functions' or classes', holds a ``>>>``
    example (run by pytest's doctest collection)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = [ast.get_docstring(tree)] + [
        ast.get_docstring(n)
        for n in ast.walk(tree)
        if isinstance(n, ast.FunctionDef | ast.ClassDef)
    ]
    return any(">>>" in (d or "") for d in docs)


def test_every_module_of_load_consolidate_and_analysis_shows_its_use():
    # Still without a runnable example; each must still lack one (add the example, then
    # remove the module here). codes.py holds only constants.
    still_without: set[str] = set()
    modules = {
        str(p.relative_to(PACKAGE)): p
        for stage in ("load", "consolidate", "analysis")
        for p in (PACKAGE / stage).glob("*.py")
        if p.name not in ("__init__.py", "codes.py")
    }
    without = {name for name, path in modules.items() if not _has_example(path)}
    assert without - still_without == set()
    assert still_without - without == set(), "it has an example now: remove it here"


def _public_without_example(path: Path) -> set[str]:
    """The public functions and classes defined at the top of the module at ``path`` whose
    docstring holds no ``>>>`` example."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
        and ">>>" not in (ast.get_docstring(node) or "")
    }


def _stage_functions_without_example(package: Path) -> set[str]:
    return {
        f"{p.relative_to(package).with_suffix('')}.{name}".replace("/", ".")
        for stage in ("load", "consolidate", "analysis")
        for p in sorted((package / stage).glob("*.py"))
        for name in _public_without_example(p)
    }


# Still without a runnable example (none now); an entry must still lack one.
FUNCTIONS_STILL_WITHOUT_EXAMPLE: set[str] = set()


def test_every_public_function_of_load_consolidate_and_analysis_shows_its_use():
    # Each public function and class at the top of a module of these stages carries a
    # ``>>>`` example in its docstring, which pytest's --doctest-modules runs.
    without = _stage_functions_without_example(PACKAGE)
    assert without - FUNCTIONS_STILL_WITHOUT_EXAMPLE == set()
    assert FUNCTIONS_STILL_WITHOUT_EXAMPLE - without == set(), (
        "it has an example now: remove it here"
    )


def test_a_planted_public_function_without_example_is_found(tmp_path):
    copy = tmp_path / "account_analysis"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    fx = copy / "consolidate" / "fx.py"
    fx.write_text(
        fx.read_text(encoding="utf-8")
        + '\n\ndef planted_rate(x):\n    """A rate, shown nowhere."""\n    return x\n'
        + '\n\nclass PlantedRate:\n    """No example either."""\n'
        + "\n\ndef _private_needs_none(x):\n    return x\n",
        encoding="utf-8",
    )
    found = _stage_functions_without_example(copy) - FUNCTIONS_STILL_WITHOUT_EXAMPLE
    assert found == {"consolidate.fx.planted_rate", "consolidate.fx.PlantedRate"}

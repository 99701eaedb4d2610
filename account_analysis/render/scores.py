"""A period scored once by the batch runner and handed to each notebook kernel of the period.

Opening and scoring a period in every kernel (the two reports, one briefing per Large
Account) repeated the same work 2 + N times. The runner computes the score with every part,
writes it once as a content-keyed file, and passes its path to the notebooks as the
``score_file`` parameter; :func:`read_score` loads it in the kernel and checks that it is
the file the runner wrote (the digest in its name) and the period the notebook was given
(its parameters). A notebook run without ``score_file`` (an analyst in JupyterLab) opens and
scores the period itself.

The file is a pickle: only the runner writes it, into the period's own output folder, and
the kernel reads only the path it was given. It lives as long as the period's run
(:func:`remove_score`); a killed run leaves it behind, named with its process id, and the
next run of the period removes it (:func:`remove_stale_scores`).

>>> import tempfile
>>> from pathlib import Path
>>> from types import SimpleNamespace
>>> from account_analysis import Settings
>>> settings = Settings.from_mapping({"period": "2026-Q3", "language": "nl"})
>>> score = SimpleNamespace(settings=settings)  # a PeriodScore, as far as this goes
>>> folder = Path(tempfile.mkdtemp())
>>> path = write_score(score, folder)
>>> read_score(path, settings.as_parameters()).settings.period
'2026-Q3'
>>> try:
...     read_score(path, {**settings.as_parameters(), "language": "en"})
... except InputError as err:
...     print(err.problems[0].expected.split("; ")[1])
language is 'nl' in the file, 'en' in the notebook
>>> remove_score(path); folder.exists()  # the folder goes with its last score file
False
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

from ..errors import InputError
from ..files import write_atomically
from .paths import ReportPaths

_DIGEST = 24  # hex characters of SHA-256 in the file name


def write_score(score, folder: Path) -> Path:
    """Write ``score`` to ``folder/score-<digest>.<pid>.pickle`` (atomically) and return the
    path. The digest is of the file's bytes; the process id tells a later run whether the
    writer is still running."""
    data = pickle.dumps(score, protocol=pickle.HIGHEST_PROTOCOL)
    digest = hashlib.sha256(data).hexdigest()[:_DIGEST]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"score-{digest}.{os.getpid()}.pickle"
    write_atomically(path, data)
    return path


def _plain(value):
    """Parameters as papermill injects them: JSON literals (tuples become lists)."""
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def read_score(path: str | Path, parameters: dict):
    """The score the runner wrote at ``path``, checked against its digest and against the
    notebook's ``parameters`` (each of the score's settings must be the notebook's)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError.single(path, f"the score file the batch runner writes ({err})") from None
    digest = path.name.split(".")[0].removeprefix("score-")
    if hashlib.sha256(data).hexdigest()[:_DIGEST] != digest:
        raise InputError.single(
            path,
            "the score file as the batch runner wrote it (its "
            "contents do not match the digest in its name)",
        )
    score = pickle.loads(data)  # noqa: S301 - written by the runner, see the module docstring
    given = {k: v for k, v in _plain(parameters).items() if v is not None}  # None: not given
    scored = _plain(score.settings.as_parameters())
    for key in sorted(given.keys() & scored.keys()):
        if given[key] != scored[key]:
            raise InputError.single(
                path,
                "the score of the parameters the notebook was "
                f"given; {key} is {scored[key]!r} in the file, "
                f"{given[key]!r} in the notebook",
            )
    return score


def remove_score(path: Path) -> None:
    """Remove a score file of this run (gone already is fine)."""
    try:
        path.unlink(missing_ok=True)
        path.parent.rmdir()  # the folder goes with the period's last score file
    except OSError:
        pass  # not empty (another run of the period) or not writable


def remove_stale_scores(out_dir: Path, alive) -> list[Path]:
    """Remove score files under ``out_dir`` whose writing process is gone (``alive(pid)``
    false); return them."""
    removed = []
    folder = ReportPaths(out_dir).scores
    if not folder.is_dir():
        return removed
    for path in folder.glob("score-*.pickle"):
        pid = path.name.split(".")[-2]
        if pid.isdigit() and not alive(int(pid)):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed

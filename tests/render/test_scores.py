"""The period score the batch runner hands to the notebook kernels: the same score back, or a
clear refusal (changed file, other parameters, missing file); stale files of a dead run go."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from account_analysis import InputError, Settings, open_score, score_period
from account_analysis.render.paths import ReportPaths
from account_analysis.render.scores import (
    read_score,
    remove_score,
    remove_stale_scores,
    write_score,
)

PARTS = (
    "revenue",
    "concentration",
    "lorenz",
    "trend",
    "designations",
    "previous_designations",
    "changes",
    "manager_scores",
    "assignments",
    "mergers",
)


@pytest.fixture(scope="module")
def settings(demo_dir):
    return Settings.from_mapping({"period": "2026-Q3", "dataset": str(demo_dir), "language": "nl"})


@pytest.fixture(scope="module")
def handed(settings, demo_dataset, demo_cube, tmp_path_factory):
    """A computed demo score written as the runner writes it: (score, path)."""
    score = score_period(demo_cube, demo_dataset, settings).computed()
    path = write_score(score, ReportPaths(tmp_path_factory.mktemp("reports") / "2026-Q3").scores)
    return score, path


def test_the_kernel_gets_the_same_score_with_every_part_computed(handed, settings):
    score, path = handed
    got = read_score(path, settings.as_parameters())
    for part in PARTS:
        assert part in vars(got), part  # computed by the runner, not by the kernel
        pd.testing.assert_frame_equal(getattr(got, part), getattr(score, part))
    assert got.metrics == score.metrics
    assert got.settings == settings


def test_open_score_with_the_file_equals_open_score_without_it(handed, settings):
    """What a notebook gets from the runner's file is what it would have scored itself."""
    _, path = handed
    params = settings.as_parameters()
    given, own = open_score(str(path), **params), open_score("", **params)
    for part in PARTS:
        pd.testing.assert_frame_equal(getattr(given, part), getattr(own, part))
    assert given.metrics == own.metrics


@pytest.mark.parametrize(
    "key, value",
    [
        ("language", "en"),
        ("period", "2026-Q2"),
        ("window_months", 12),
        ("merger_pairs", [["A", "B"]]),
    ],
)
def test_a_file_of_other_parameters_is_refused(handed, settings, key, value):
    _, path = handed
    with pytest.raises(InputError, match=f"{key} is .* in the file, .* in the notebook") as err:
        read_score(path, {**settings.as_parameters(), key: value})
    assert str(path) in str(err.value)


def test_a_changed_or_cut_file_is_refused(handed, settings, tmp_path):
    _, path = handed
    data = path.read_bytes()
    for name, content in (("changed", data[:-1] + bytes([data[-1] ^ 1])), ("cut", data[:100])):
        copy = tmp_path / name / path.name
        copy.parent.mkdir()
        copy.write_bytes(content)
        with pytest.raises(InputError, match="do not match the digest in its name"):
            read_score(copy, settings.as_parameters())


def test_a_missing_file_is_refused_by_name(settings, tmp_path):
    path = tmp_path / "score-0123.1.pickle"
    with pytest.raises(InputError, match="the score file the batch runner writes") as err:
        read_score(path, settings.as_parameters())
    assert str(path) in str(err.value)


def test_files_of_a_dead_process_go_and_those_of_a_live_one_stay(handed, tmp_path):
    _, path = handed
    folder = ReportPaths(tmp_path / "2026-Q3").scores
    folder.mkdir(parents=True)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    stale = folder / f"score-abc.{dead}.pickle"
    live = folder / f"score-def.{os.getpid()}.pickle"
    for p in (stale, live):
        p.write_bytes(b"x")
    alive = {os.getpid()}.__contains__
    assert remove_stale_scores(tmp_path / "2026-Q3", alive) == [stale]
    assert sorted(folder.iterdir()) == [live]
    remove_score(live)
    assert not folder.exists()  # the folder goes with its last file


def test_a_part_that_raises_is_left_for_its_user(settings, demo_dataset, demo_cube):
    """computed() skips a part that fails (here a merger pair that names no group): the
    notebook cell that shows it fails with the error, as without a score file."""
    bad = Settings.from_mapping(
        {**settings.as_parameters(), "merger_pairs": [["C10001", "C99999"]]}
    )
    score = score_period(demo_cube, demo_dataset, bad).computed()
    assert "mergers" not in vars(score) and "designations" in vars(score)
    with pytest.raises(InputError, match="C99999"):
        score.mergers  # noqa: B018

"""Benchmark: quality of the link suggestions on the demo, and their speed on 50,000 accounts.

Quality: the demo dataset is generated into a temporary folder; every account's true group
is its top-level account through ``parent_id`` and ``parent_links``. All links are then
removed and :func:`suggest_links` runs on the bare customer master. Per threshold:

* precision: share of suggested pairs whose two accounts truly share a group; false_nested
  counts the false pairs whose one normalised name holds all words of the other (the demo
  reuses 54 surnames and 30 place words over 700 groups: these cannot be told apart by name);
* recall: share of the accounts that truly have a parent (they are the ones to link) that
  got at least one correct suggestion; pair recall: share of all same-group pairs suggested.

Speed: a generated customer master of ``--accounts`` accounts (groups with holdings and
branches, surnames drawn with a heavy tail so common words make large blocks), median of
``--repeat`` runs.

    .venv/bin/python benchmarks/links_quality.py [--thresholds 80 85 90 95] [--accounts 50000]
                                                 [--repeat 3] [--show 15]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from account_analysis import Hierarchy, load_dataset
from account_analysis.authoring.demo import write_demo_dataset
from account_analysis.authoring.links import normalise_name, suggest_links


def true_groups(accounts: pd.DataFrame, parent_links: pd.DataFrame) -> pd.Series:
    """account_id → its group as the library rolls it up today (links of both sources)."""
    hierarchy = Hierarchy.build(accounts, parent_links)
    return hierarchy.groups_as_of(pd.Timestamp("2099-12-31"))


def quality(thresholds: list[float], show: int) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        write_demo_dataset(tmp)
        ds = load_dataset(Path(tmp))
    truth = true_groups(ds.accounts, ds.parent_links)
    linked = set(ds.accounts.loc[ds.accounts["parent_id"] != "", "account_id"])
    linked |= set(ds.parent_links["account_id"])
    sizes = truth.value_counts()
    true_pairs = int((sizes * (sizes - 1) // 2).sum())
    bare = ds.accounts.assign(parent_id="")
    # Word sets of the normalised names: a false pair whose one name holds all words of the
    # other ("Bouwmarkt Waterkant" and "Bouwmarkt Waterkant Ede") cannot be told apart by name.
    names = pd.Series(
        [set(normalise_name(n).split()) for n in ds.accounts["name"]],
        index=ds.accounts["account_id"].to_numpy(),
    )
    rows = []
    for t in thresholds:
        started = time.perf_counter()
        s = suggest_links(bare, min_score=t)
        seconds = time.perf_counter() - started
        correct = (truth.reindex(s["account_id"]).to_numpy()
                   == truth.reindex(s["candidate_parent_id"]).to_numpy())  # fmt: skip
        found = set(s.loc[correct, "account_id"]) | set(s.loc[correct, "candidate_parent_id"])
        words = (
            names.reindex(s["account_id"]).to_numpy(),
            names.reindex(s["candidate_parent_id"]).to_numpy(),
        )
        nested = np.array([x <= y or y <= x for x, y in zip(*words, strict=True)], dtype=bool)
        rows.append({
            "min_score": t,
            "suggested": len(s),
            "correct": int(correct.sum()),
            "precision": correct.mean() if len(s) else float("nan"),
            "recall": len(found & linked) / len(linked),
            "pair_recall": correct.sum() / true_pairs,
            "false_nested": int((~correct & nested).sum()),
            "seconds": seconds,
        })  # fmt: skip
        if show and t == thresholds[len(thresholds) // 2]:
            wrong = s.loc[~correct, ["account_name", "candidate_parent_name", "score"]]
            print(f"\nfalse suggestions at {t:g} (first {show} of {len(wrong)}):")
            print(wrong.head(show).to_string(index=False))
            missed = ds.accounts[ds.accounts["account_id"].isin(linked - found)]
            top = ds.accounts.set_index("account_id")["name"]
            missed = missed.assign(group=top.reindex(truth.reindex(missed["account_id"])).values)
            print(f"\nmissed accounts at {t:g} (first {show} of {len(missed)}):")
            print(missed[["name", "group"]].head(show).to_string(index=False))
    print(
        f"\ndemo: {len(ds.accounts):,} accounts, {len(linked):,} with a parent, "
        f"{sizes.gt(1).sum():,} groups of two or more, {true_pairs:,} same-group pairs"
    )
    return pd.DataFrame(rows)


SYLLABLES = (
    "ber ker van hol den mer stra ter wijk berg man sen dijk hout bos veld kamp "
    "meer hof brink horst beek lin ro sa ve to ni el ar om ul ka"
).split()
ACTIVITIES = (
    "Transport",
    "Bouw",
    "Installatietechniek",
    "Logistiek",
    "Bakkerij",
    "Hotel",
    "Advies",
    "Vastgoed",
    "Metaal",
    "Zorgcentrum",
    "Tuincentrum",
    "Autobedrijf",
    "Schilders",
    "Drukkerij",
    "Schoonmaak",
    "Accountants",
    "Techniek",
    "Groothandel",
)
FORMS = (" B.V.", " B.V.", " B.V.", "", " V.O.F.", " N.V.")


def synthetic_accounts(n: int, seed: int = 1) -> pd.DataFrame:
    """``n`` accounts in groups: most alone, some with a holding and branches, a few chains."""
    rng = np.random.default_rng(seed)
    syl = np.array(SYLLABLES)
    n_names = max(n // 2, 10)
    words = np.char.add(np.char.add(syl[rng.integers(0, len(syl), n_names)],
                                    syl[rng.integers(0, len(syl), n_names)]),
                        syl[rng.integers(0, len(syl), n_names)])  # fmt: skip
    words = np.char.capitalize(words)
    zipf = 1.0 / np.arange(1, n_names + 1) ** 0.9  # a few very common words
    zipf /= zipf.sum()
    names, parents, postcodes = [], [], []
    while len(names) < n:
        base = words[rng.choice(n_names, p=zipf)]
        if rng.random() < 0.5:
            base = f"{base} {words[rng.integers(n_names)]}"
        activity = ACTIVITIES[rng.integers(len(ACTIVITIES))]
        base = f"{base} {activity}" if rng.random() < 0.5 else f"{activity} {base}"
        u = rng.random()
        size = (
            1
            if u < 0.78
            else int(rng.integers(30, 300))
            if u > 0.998
            else int(min(1 + rng.geometric(0.35), 12))
        )  # alone, a small group, or a chain
        town = int(rng.integers(1000, 9999))
        head = len(names)
        for k in range(min(size, n - len(names))):
            pc = town if k == 0 or rng.random() < 0.3 else int(rng.integers(1000, 9999))
            if size == 1:
                name = base + FORMS[rng.integers(len(FORMS))]
            elif k == 0:
                name = f"{base} Holding B.V."
            else:
                name = f"{base} vestiging {k}"
            names.append(name)
            parents.append("" if k == 0 else f"S{head:06d}")
            postcodes.append(f"{pc} AB")
    return pd.DataFrame({
        "account_id": [f"S{i:06d}" for i in range(n)], "name": names, "postcode": postcodes,
        "country": "NL", "parent_id": parents,
    })  # fmt: skip


def speed(n: int, repeat: int) -> None:
    accounts = synthetic_accounts(n)
    bare = accounts.assign(parent_id="")
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        s = suggest_links(bare)
        times.append(time.perf_counter() - started)
    print(
        f"\n{n:,} generated accounts, all links removed: {len(s):,} suggestions at 85; "
        f"median {statistics.median(times):.2f} s of {repeat} (min {min(times):.2f} s)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--thresholds", type=float, nargs="+", default=[80.0, 85.0, 90.0, 95.0])
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show", type=int, default=0, help="list false and missed ones")
    args = parser.parse_args(argv)
    table = quality(args.thresholds, args.show)
    print(table.to_string(index=False, formatters={
        "precision": "{:.1%}".format, "recall": "{:.1%}".format,
        "pair_recall": "{:.1%}".format, "seconds": "{:.2f}".format, "min_score": "{:g}".format,
    }))  # fmt: skip
    if args.accounts:
        speed(args.accounts, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Customer groups: parent cycles of every length, from every source, on every day, are input
errors naming their accounts; checked against an independent walk on random graphs."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import InputError, load_dataset
from account_analysis.load.hierarchy import SOURCES, Hierarchy

NaT = pd.NaT
FILES = {"accounts": "accounts.csv", "parent_links": "parent_links.xlsx"}


def master(parents: dict[str, str], valid_from=None, valid_to=None) -> pd.DataFrame:
    """Accounts (in the order given) with ``parent_id`` and optional validity per account."""
    ids = list(parents)
    return pd.DataFrame(
        {
            "account_id": ids,
            "parent_id": [parents[a] for a in ids],
            "parent_valid_from": pd.to_datetime([(valid_from or {}).get(a) for a in ids]),
            "parent_valid_to": pd.to_datetime([(valid_to or {}).get(a) for a in ids]),
        }
    )


def links(rows) -> pd.DataFrame:
    """parent_links rows: (account_id, parent_id, valid_from, valid_to)."""
    return pd.DataFrame(rows, columns=["account_id", "parent_id", "valid_from", "valid_to"]).assign(
        valid_from=lambda f: pd.to_datetime(f["valid_from"]),
        valid_to=lambda f: pd.to_datetime(f["valid_to"]),
    )


def problems(*args, **kwargs):
    """The problems of a build that must fail (``files=FILES`` names the files)."""
    with pytest.raises(InputError) as info:
        Hierarchy.build(*args, **kwargs)
    return info.value.problems


def ring(n: int, prefix: str = "C1000") -> dict[str, str]:
    """n accounts each the child of the next, the last the child of the first."""
    ids = [f"{prefix}{i + 1}" for i in range(n)]
    return {a: ids[(i + 1) % n] for i, a in enumerate(ids)}


# --------------------------------------------------------------------------- by hand


def test_a_loop_of_two_is_refused_issue12():
    # issue 12: C10001 → C10002 → C10001 passed, and a child of C10001 was rolled into
    # C10002 (pointer jumping on a cycle of 2 or 4 comes back to each node itself).
    (p,) = problems(master({"C10001": "C10002", "C10002": "C10001", "C10003": "C10001"}))
    assert (p.row, p.column, p.value) == (2, "parent_id", "C10001 → C10002 → C10001")
    assert "cycle" in p.expected and "accounts row 2, accounts row 3" in p.expected


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7, 8, 16, 17])
def test_a_loop_of_any_length_is_refused(n):
    (p,) = problems(master(ring(n) | {"TOP": ""}))
    names = p.value.split(" → ")
    assert len(names) == n + 1 and names[0] == names[-1] == "C10001"
    assert set(names) == set(ring(n))
    assert f"these {n} accounts" in p.expected


def test_a_self_parent_is_a_loop_of_one():
    (p,) = problems(master({"A": "A", "B": ""}), files=FILES)
    assert (p.file, p.row, p.value) == ("accounts.csv", 2, "A")
    assert "other than the account itself" in p.expected


def test_every_loop_is_listed():
    (a, b) = problems(master(ring(2, "X") | ring(4, "Y") | {"Z": "X1"}), files=FILES)
    assert {a.value, b.value} == {"X1 → X2 → X1", "Y1 → Y2 → Y3 → Y4 → Y1"}
    assert (b.row, b.file) == (4, "accounts.csv")  # Y1, the first link of its loop


def test_a_loop_across_sources_from_a_date_names_each_link():
    # B's parent in the master is A; from 2026-01-01 parent_links make A a child of B.
    acc = master({"A": "", "B": "A", "C": "B"})
    (p,) = problems(acc, links([("A", "B", "2026-01-01", None)]), files=FILES)
    assert p.value == "A → B → A"
    assert (p.file, p.row) == ("parent_links.xlsx", 2)
    assert "from 2026-01-01" in p.expected
    assert "parent_links.xlsx row 2, accounts.csv row 3" in p.expected


def test_a_loop_on_past_days_only_is_refused():
    # A was B's child until 2020-12-31; B has been A's child since 2020-06-01.
    acc = master({"A": "B", "B": "A"}, valid_from={"B": "2020-06-01"}, valid_to={"A": "2020-12-31"})
    (p,) = problems(acc)
    assert set(p.value.split(" → ")) == {"A", "B"}
    assert "from 2020-06-01 to 2020-12-31" in p.expected


def test_a_loop_through_gleif_names_its_file_and_row():
    gleif = pd.DataFrame(
        {
            "account_id": ["A"],
            "parent_id": ["B"],
            "valid_from": [NaT],
            "valid_to": [NaT],
            "relationship_type": ["IS_DIRECTLY_CONSOLIDATED_BY"],
            "file": ["gleif/rr.csv"],
            "row": [7],
        }
    )
    (p,) = problems(master({"A": "", "B": "A"}), gleif_links=gleif, files=FILES)
    assert (p.file, p.row, p.value) == ("gleif/rr.csv", 7, "A → B → A")
    assert "gleif/rr.csv row 7, accounts.csv row 3" in p.expected


def test_a_link_overridden_by_a_higher_source_makes_no_loop():
    # The master says A → C, but parent_links (which take precedence) say A → B; C → A is no
    # loop because A's parent is B on every day.
    acc = master({"A": "C", "B": "", "C": "A"})
    h = Hierarchy.build(acc, links([("A", "B", None, None)]))
    assert h.groups_as_of("2026-09-30").to_dict() == {"A": "B", "B": "B", "C": "B"}


def test_no_child_is_rolled_into_a_loop_member():
    # The symptom of issue 12: no hierarchy at all is built, so nothing is rolled up wrongly.
    with pytest.raises(InputError):
        Hierarchy.build(master({"C10001": "C10002", "C10002": "C10001", "C10007": "C10001"}))


# --------------------------------------------------------------------------- load_dataset


def test_load_dataset_refuses_a_loop_of_two(broken_copy):
    path = broken_copy / "accounts.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    assert text[1].startswith("C10001,") and ",C10001," in text[2]
    head = text[1].split(",")
    head[text[0].split(",").index("parent_id")] = "C10002"
    text[1] = ",".join(head)
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_dataset(broken_copy, skip_invoices=True)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column, p.value) == (
        "accounts.csv",
        2,
        "parent_id",
        "C10001 → C10002 → C10001",
    )


# --------------------------------------------------------------------------- random graphs

DAYS = ["2024-01-01", "2025-01-01", "2025-07-01", "2026-01-01"]
PRIORITY = {s: i for i, s in enumerate(SOURCES)}


def oracle_parents(edges: list[tuple], day) -> dict[str, str]:
    """Each account's parent on ``day``: its valid link of the highest-precedence source."""
    parent = {}
    for child, par, _source, vf, vt in sorted(edges, key=lambda e: PRIORITY[e[2]]):
        valid = (vf is None or np.datetime64(vf) <= day) and (
            vt is None or np.datetime64(vt) >= day
        )
        if valid and child not in parent:
            parent[child] = par
    return parent


def oracle_days(edges: list[tuple]) -> set:
    """The days the hierarchy can change: the far past, each start, each day after an end."""
    days = {np.datetime64("0001-01-01")}
    for *_, vf, vt in edges:
        days |= {np.datetime64(vf)} if vf else set()
        days |= {np.datetime64(vt) + 1} if vt else set()
    return days


def oracle_cycles(edges: list[tuple], n: int) -> set[tuple[str, ...]]:
    """Every cycle of the hierarchy on any day, by a plain walk: follow parents from every
    account until a top or a repeat. Cycles are given from their first account in account
    order."""
    ids = [f"A{i}" for i in range(n)]
    found = set()
    for day in oracle_days(edges):
        parent = oracle_parents(edges, day)
        for start in ids:
            path = []
            node = start
            while node in parent and node not in path:
                path.append(node)
                node = parent[node]
            if node in path:
                cycle = path[path.index(node) :]
                first = cycle.index(min(cycle, key=ids.index))
                found.add(tuple(cycle[first:] + cycle[:first]))
    return found


def oracle_top(parent: dict[str, str], account: str) -> str:
    while account in parent:
        account = parent[account]
    return account


@st.composite
def graphs(draw):
    n = draw(st.integers(min_value=1, max_value=7))
    edges = []
    for i in range(n):
        for source in draw(
            st.sets(st.sampled_from(["accounts", "parent_links", "gleif"]), max_size=2)
        ):
            if n == 1:
                break  # a self-parent is refused before any cycle is looked for
            j = draw(st.integers(min_value=0, max_value=n - 2))
            parent = j + (j >= i)
            vf = draw(st.sampled_from([None, *DAYS]))
            vt = draw(st.sampled_from([None, *[d for d in DAYS if vf is None or d >= vf]]))
            edges.append((f"A{i}", f"A{parent}", source, vf, vt))
    return n, edges


def build(n, edges):
    ids = [f"A{i}" for i in range(n)]
    by = {s: [e for e in edges if e[2] == s] for s in ("accounts", "parent_links", "gleif_direct")}
    own = {e[0]: e for e in by["accounts"]}
    acc = pd.DataFrame(
        {
            "account_id": ids,
            "parent_id": [own[a][1] if a in own else "" for a in ids],
            "parent_valid_from": pd.to_datetime([own[a][3] if a in own else None for a in ids]),
            "parent_valid_to": pd.to_datetime([own[a][4] if a in own else None for a in ids]),
        }
    )
    pl = links([(c, p, vf, vt) for c, p, _, vf, vt in by["parent_links"]])
    gl = links([(c, p, vf, vt) for c, p, _, vf, vt in by["gleif_direct"]]).assign(
        relationship_type="IS_DIRECTLY_CONSOLIDATED_BY"
    )
    return Hierarchy.build(acc, pl, gl)


@settings(max_examples=250, deadline=None)
@given(graphs())
def test_cycles_on_random_graphs_match_a_plain_walk(graph):
    n, edges = graph
    edges = [(c, p, "gleif_direct" if s == "gleif" else s, vf, vt) for c, p, s, vf, vt in edges]
    expected = oracle_cycles(edges, n)
    try:
        h = build(n, edges)
    except InputError as err:
        got = {tuple(p.value.split(" → ")[:-1]) for p in err.problems}
        assert all("cycle" in p.expected for p in err.problems)
        assert got <= expected and len(got) + err.more == len(expected)
    else:
        assert expected == set()
        # Without a cycle every account's group is where the plain walk ends, on every day.
        for day in oracle_days(edges):
            parent = oracle_parents(edges, day)
            got = h.groups_as_of(pd.Timestamp(day)).to_dict()
            assert got == {a: oracle_top(parent, a) for a in got}


def test_the_oracle_sees_the_loops_that_pointer_jumping_missed():
    edges = [("A0", "A1", "accounts", None, None), ("A1", "A0", "accounts", None, None)]
    assert oracle_cycles(edges, 2) == {("A0", "A1")}
    assert re.fullmatch(r"A0 → A1 → A0", problems(master({"A0": "A1", "A1": "A0"}))[0].value)

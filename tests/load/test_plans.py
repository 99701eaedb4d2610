"""Account plans: the demo plans load, every bad-input case through the real CLI, the
pre-filled template of ``account-analysis plan-template``, and a YAML round trip."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml
from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from account_analysis import InputError, build_cube, load_dataset, revenue_by_group
from account_analysis.load.plans import dotted, parse_account_plan, plan_to_yaml
from account_analysis.load.schema import ACCOUNT_PLAN_FIELDS, OBJECTIVE_STATUSES, STANCES
from account_analysis.periods import parse_period
from account_analysis.present.format import format_money

PLAN_KEYS = [
    "group_id",
    "market",
    "market_challenges",
    "services",
    "competitors",
    "stakeholders",
    "objectives",
    "executive_meetings",
    "benefits",
]


def assert_problem(result, *fragments: str) -> None:
    """The CLI failed cleanly (exit 1, no traceback) and one line names every fragment."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert any(all(f in line for f in fragments) for line in lines), (fragments, lines)


def edit_plan(folder, group: str, old: str, new: str) -> int:
    """Replace the first ``old`` in the group's plan by ``new``; the 1-based line of the
    first line of ``new``."""
    path = folder / "account_plans" / f"{group}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text.count("\n", 0, at) + 1


# --------------------------------------------------------------------------- the happy path


def test_demo_plans_load_normalised(demo_dir, demo_dataset):
    plans = demo_dataset.account_plans
    assert sorted(plans) == ["C10001", "C10041", "C10055"]
    for group, plan in plans.items():
        raw = yaml.safe_load((demo_dir / "account_plans" / f"{group}.yaml").read_text("utf-8"))
        assert list(plan) == PLAN_KEYS
        assert plan["group_id"] == group
        assert plan["market"] == raw["market"]
        assert plan["benefits"] == raw["benefits"] and plan["services"] == raw["services"]
        assert [c["estimated_share"] for c in plan["competitors"]] == [
            c["estimated_share"] for c in raw["competitors"]
        ]
        assert {s["stance"] for s in plan["stakeholders"]} <= set(STANCES)
        for got, want in zip(plan["objectives"], raw["objectives"], strict=True):
            assert got["due"] == want["due"] and isinstance(got["due"], str)
            assert got["status"] == want["status"]
            assert got["target"] == str(want["target"])  # C10055's target 21 is read as text
        assert plan["executive_meetings"] == raw["executive_meetings"]


def test_absent_lists_and_texts_are_empty():
    plan = parse_account_plan("group_id: C10001\nmarket:\nstakeholders:\n- name: A\n")
    assert plan["market"] == "" and plan["services"] == [] and plan["objectives"] == []
    assert plan["stakeholders"] == [
        {
            "name": "A",
            "role": "",
            "our_counterpart": "",
            "relationship_owner": "",
            "stance": "unknown",
        }
    ]


def test_documented_example_is_a_valid_plan():
    from account_analysis import config

    doc = (config.PROJECT_ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8")
    block = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    plan = parse_account_plan(block)
    assert plan["objectives"][0]["status"] == {"2026-Q3": "on track", "2026-Q4": "at risk"}


def test_all_problems_of_a_plan_at_once_with_lines():
    text = (
        "group_id: C10001\n"  # 1
        "competitors:\n"  # 2
        "- name: A\n"  # 3
        "  estimated_share: 1.5\n"  # 4
        "objectives:\n"  # 5
        "- text: X\n"  # 6
        "- text: Y\n"  # 7
        "  due: 2027-02-30\n"  # 8
        "  status: {2026-Q3: done}\n"
    )  # 9
    with pytest.raises(InputError) as err:
        parse_account_plan(text, "account_plans/C10001.yaml")
    got = {(p.row, p.column, p.value) for p in err.value.problems}
    assert got == {
        (4, "competitors[1].estimated_share", 1.5),
        (8, "objectives[2].due", "2027-02-30"),
        (9, "objectives[2].status.2026-Q3", "done"),
    }


# --------------------------------------------------------------------------- bad input, per case


def test_unknown_field(broken_copy):
    line = edit_plan(broken_copy, "C10001", "services:", "budget: 100000\nservices:")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field budget",
        "'budget'",
        "one of the known fields",
    )


def test_unknown_field_in_a_list_item(broken_copy):
    line = edit_plan(
        broken_copy,
        "C10001",
        "  stance: neutral",
        "  email: a.hoogland@example.nl\n  stance: neutral",
    )
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field stakeholders[1].email",
        "'email'",
        "one of the known fields: name, role",
    )


def test_field_given_twice(broken_copy):
    line = edit_plan(broken_copy, "C10041", "services:", "market: Bouw\nservices:")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10041.yaml",
        f"row {line}",
        "field market",
        "'market'",
        "each field once (it is also on line 2)",
    )


def test_date_that_does_not_exist(broken_copy):
    line = edit_plan(broken_copy, "C10001", "due: '2027-12-31'", "due: 2027-02-30")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field objectives[2].due",
        "'2027-02-30'",
        "an existing day",
    )


def test_date_not_iso(broken_copy):
    line = edit_plan(broken_copy, "C10055", "- date: '2026-11-19'", "- date: 19-11-2026")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field executive_meetings[1].date",
        "'19-11-2026'",
        "an ISO date such as 2027-06-30",
    )


def test_share_outside_zero_to_one(broken_copy):
    line = edit_plan(broken_copy, "C10001", "estimated_share: 0.3", "estimated_share: 30")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field competitors[1].estimated_share",
        "30",
        "a share from 0 to 1 such as 0.3 (30% is 0.3)",
    )


def test_share_as_text(broken_copy):
    line = edit_plan(broken_copy, "C10001", "estimated_share: 0.2", "estimated_share: 20%")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field competitors[2].estimated_share",
        "'20%'",
        "a share from 0 to 1",
    )


def test_shares_add_up_to_more_than_one(broken_copy):
    edit_plan(broken_copy, "C10041", "estimated_share: 0.35", "estimated_share: 0.8")
    path = broken_copy / "account_plans" / "C10041.yaml"
    line = path.read_text(encoding="utf-8").splitlines().index("competitors:") + 1
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10041.yaml",
        f"row {line}",
        "field competitors:",
        "1.05",
        "estimated shares that add up to at most 1",
    )


def test_unknown_stance(broken_copy):
    line = edit_plan(broken_copy, "C10001", "stance: critical", "stance: hostile")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field stakeholders[3].stance",
        "'hostile'",
        "one of supporter, neutral, critical, unknown",
    )


def test_unknown_objective_status(broken_copy):
    line = edit_plan(broken_copy, "C10041", "2026-Q3: at risk", "2026-Q3: done")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10041.yaml",
        f"row {line}",
        "field objectives[1].status.2026-Q3",
        "'done'",
        "one of not started, on track, at risk, behind, achieved, dropped",
    )


def test_status_period_not_a_period(broken_copy):
    line = edit_plan(broken_copy, "C10055", "2026-Q3: on track", "Q3 2026: on track")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field objectives[1].status.Q3 2026",
        "'Q3 2026'",
        "a reporting period such as 2026-Q3",
    )


def test_status_not_a_mapping(broken_copy):
    text = (broken_copy / "account_plans" / "C10055.yaml").read_text(encoding="utf-8")
    old = (
        "  status:\n    2025-Q4: not started\n    2026-Q1: on track\n    2026-Q2: behind\n"
        "    2026-Q3: on track"
    )
    assert old in text
    line = edit_plan(broken_copy, "C10055", old, "  status: on track")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field objectives[1].status",
        "'on track'",
        "a mapping of period to status, such as {2026-Q3: on track}",
    )


def test_value_reached_not_a_mapping(broken_copy):
    text = (broken_copy / "account_plans" / "C10055.yaml").read_text(encoding="utf-8")
    old = "  current:\n    2025-Q4: '6'\n    2026-Q1: '9'\n    2026-Q2: '10'\n    2026-Q3: '14'"
    assert old in text
    line = edit_plan(broken_copy, "C10055", old, "  current: 14")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field objectives[1].current",
        "14",
        "a mapping of period to value reached, such as {2026-Q3: 14}",
    )


def test_value_reached_for_a_period_that_is_not_one(broken_copy):
    line = edit_plan(broken_copy, "C10055", "2026-Q3: '14'", "Q3: '14'")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field objectives[1].current.Q3",
        "'Q3'",
        "a reporting period such as 2026-Q3",
    )


def test_value_reached_that_is_a_list_or_empty(broken_copy):
    line = edit_plan(broken_copy, "C10055", "2026-Q3: '14'", "2026-Q3: [14, 15]")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field objectives[1].current.2026-Q3",
        "[14, 15]",
        "a value reached, such as 14 or 38%",
    )


def test_value_reached_reads_numbers_as_text_and_absent_as_empty():
    plan = parse_account_plan(
        "group_id: C10001\nobjectives:\n- text: Scholen\n  current: "
        "{2026q3: 14, 2026-Q2: ' 12 % '}\n- text: B\n"
    )
    assert plan["objectives"][0]["current"] == {"2026-Q3": "14", "2026-Q2": "12 %"}
    assert plan["objectives"][1]["current"] == {}


def test_list_given_as_text(broken_copy):
    text = (broken_copy / "account_plans" / "C10001.yaml").read_text(encoding="utf-8")
    block = text[text.index("services:") : text.index("competitors:")]
    line = edit_plan(broken_copy, "C10001", block, "services: Onderhoud\n")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field services",
        "'Onderhoud'",
        "a list of texts, one per line starting with '- '",
    )


def test_text_with_unquoted_colon(broken_copy):
    line = edit_plan(
        broken_copy,
        "C10001",
        "- Verduurzaming van het vastgoed richting 2030",
        "- Verduurzaming: vastgoed richting 2030",
    )
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field market_challenges[2]",
        "{Verduurzaming: vastgoed richting 2030}",
        "text (put quotes around a text that holds ': ')",
    )


def test_yes_as_text(broken_copy):
    line = edit_plan(broken_copy, "C10001", "target: getekend", "target: yes")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field objectives[1].target",
        "True",
        "text (put quotes around yes, no, on, off)",
    )


def test_list_item_without_its_required_field(broken_copy):
    line = edit_plan(broken_copy, "C10001", "- date: '2026-11-12'\n  who:", "- who:")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        "field executive_meetings[1].date",
        "a field date (required)",
    )


def test_competitor_with_empty_name(broken_copy):
    line = edit_plan(broken_copy, "C10041", "- name: ", "- name: ''\n  x_name: ")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10041.yaml",
        f"row {line}",
        "field competitors[1].name",
        "''",
        "a value (the field is required)",
    )


def test_missing_group_id(broken_copy):
    edit_plan(broken_copy, "C10055", "group_id: C10055\n", "")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        "field group_id",
        "a field group_id (required)",
    )


def test_group_that_is_unknown(broken_copy):
    line = edit_plan(broken_copy, "C10055", "group_id: C10055", "group_id: C99999")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field group_id",
        "'C99999'",
        "an account_id that exists in accounts",
    )


def test_group_that_is_a_subsidiary(broken_copy):
    line = edit_plan(broken_copy, "C10055", "group_id: C10055", "group_id: C10024")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        f"row {line}",
        "field group_id",
        "'C10024'",
        "a top-level group; C10024 belongs to group C10023 (Van Houten Logistiek Groep B.V.)",
    )


def test_two_plans_for_one_group(broken_copy):
    plans = broken_copy / "account_plans"
    shutil.copy(plans / "C10041.yaml", plans / "hollander-bouw.yaml")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/hollander-bouw.yaml",
        "row 1",
        "field group_id",
        "'C10041'",
        "one plan per group; account_plans/C10041.yaml is the plan of C10041",
    )


def test_yaml_syntax_error(broken_copy):
    line = edit_plan(broken_copy, "C10001", "- name: Erik van Til", "- name: [Erik van Til")
    result = run_cli("validate", broken_copy)
    assert_problem(result, "account_plans/C10001.yaml", "valid YAML")
    assert any("account_plans/C10001.yaml, row" in x for x in result.stderr.splitlines())
    row = int(result.stderr.split("account_plans/C10001.yaml, row ")[1].split(":")[0])
    assert line <= row <= line + 2  # the parser notices a line or two later


def test_plan_not_a_mapping(broken_copy):
    (broken_copy / "account_plans" / "C10055.yaml").write_text("- C10055\n", encoding="utf-8")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        "row 1",
        "'[C10055]'",
        "a mapping of fields, starting with group_id",
    )


def test_empty_plan_file(broken_copy):
    (broken_copy / "account_plans" / "C10055.yaml").write_text("", encoding="utf-8")
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10055.yaml",
        "a mapping of fields, starting with group_id",
    )


def test_plan_not_utf8(broken_copy):
    path = broken_copy / "account_plans" / "C10001.yaml"
    text = path.read_text(encoding="utf-8")
    first = next(i for i, ch in enumerate(text) if not ch.isascii())
    line = text.count("\n", 0, first) + 1
    path.write_bytes(text.encode("cp1252"))
    byte = text[first].encode("cp1252").hex().upper()
    assert_problem(
        run_cli("validate", broken_copy),
        "account_plans/C10001.yaml",
        f"row {line}",
        f"0x{byte}",
        "UTF-8 text",
    )


def test_problems_of_several_plans_at_once(broken_copy):
    edit_plan(broken_copy, "C10001", "stance: critical", "stance: hostile")
    edit_plan(broken_copy, "C10041", "2026-Q3: at risk", "2026-Q3: done")
    result = run_cli("validate", broken_copy)
    assert_problem(result, "account_plans/C10001.yaml", "'hostile'")
    assert_problem(result, "account_plans/C10041.yaml", "'done'")
    assert "error: 2 input problems" in result.stderr


# --------------------------------------------------------------------------- plan-template


@pytest.fixture()
def params_for(tmp_path):
    """A period parameter file pointing at a dataset folder."""

    def make(dataset, language="en", period="2026-Q3"):
        path = tmp_path / f"{period}-{language}.yaml"
        path.write_text(
            f"period: {period}\ndataset: {dataset}\nlanguage: {language}\n", encoding="utf-8"
        )
        return path

    return make


def test_template_for_a_group_without_a_plan_loads(broken_copy, params_for):
    params = params_for(broken_copy)
    result = run_cli("plan-template", "C10023", "--params", params)
    assert result.returncode == 0, result.stderr
    path = broken_copy / "account_plans" / "C10023.yaml"
    assert str(path) in result.stdout
    text = path.read_text(encoding="utf-8")

    ok = run_cli("validate", broken_copy)
    assert ok.returncode == 0, ok.stderr
    dataset = load_dataset(broken_copy)
    plan = dataset.account_plans["C10023"]
    assert plan["market"] == "" and plan["stakeholders"] == [] and plan["objectives"] == []

    # Filled from the data: revenue, units, services, complaints, wallet and competitors.
    c = build_cube(dataset)
    window = parse_period("2026-Q3").window(24)
    revenue = revenue_by_group(c, window).set_index("group_id")["revenue_cents"]
    assert f"{format_money(revenue['C10023'], 'en')} over the 24 months to September 2026" in text
    members = c.hierarchy.groups_as_of(window.end)
    members = sorted(members[members == "C10023"].index)
    assert len(members) > 10 and "C10684" in members  # acquired through parent_links
    for account in members:
        assert f"  {account}  " in text
    services = plan["services"]
    assert len(services) >= 3 and services[0] == "Onderhoud"
    comp = dataset.complaints
    comp = comp[
        comp["account_id"].isin(members) & window.contains(pd.to_datetime(comp["opened_on"]))
    ]
    assert (
        f"Complaints in the window: {len(comp)}, of which "
        f"{(comp['kind'] == 'escalation').sum()} escalations" in text
    )
    latest = comp.sort_values("opened_on").iloc[-1]
    assert latest["subject"] in text
    wallets = dataset.wallets[dataset.wallets["group_id"] == "C10023"].sort_values("as_of")
    names = str(wallets["competitors"].iloc[-1]).split("|")
    assert [x["name"] for x in plan["competitors"]] == names
    assert all(x["estimated_share"] is None for x in plan["competitors"])
    assert "we are the 5th of 7 suppliers" in text


def test_filled_template_passes_validation(broken_copy, params_for):
    params = params_for(broken_copy, language="nl")
    assert run_cli("plan-template", "C10081", "--params", params).returncode == 0
    path = broken_copy / "account_plans" / "C10081.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Omzet: €\xa0" in text  # the period's language (a no-break space, as Babel writes)
    fills = {
        "market: ''": "market: Waterbeheer in Zeeland en West-Brabant",
        "market_challenges: []": "market_challenges:\n- Klimaatadaptatie\n"
        "- 'Vergrijzing: kennis verdwijnt'",
        "stakeholders: []": "stakeholders:\n- name: Ilse de Wit\n  role: Directeur\n"
        "  our_counterpart: Ruud Smit\n  relationship_owner: AM04\n"
        "  stance: supporter",
        "objectives: []": "objectives:\n- text: Gunning nieuwe aanbesteding\n"
        "  measure: Gegund\n  target: ja\n  due: 2027-06-30\n"
        "  status:\n    2026-Q4: not started",
        "executive_meetings: []": "executive_meetings:\n- date: 2026-12-10\n"
        "  who: Algemeen directeur\n  their_counterpart: Ilse de Wit",
        "benefits: []": "benefits:\n- Eén vast aanspreekpunt",
    }
    for old, new in fills.items():
        assert text.count(f"\n{old}\n") == 1, old
        text = text.replace(f"\n{old}\n", f"\n{new}\n")
    text = text.replace("estimated_share: null", "estimated_share: 0.2", 2)
    path.write_text(text, encoding="utf-8")
    ok = run_cli("validate", broken_copy)
    assert ok.returncode == 0, ok.stderr
    plan = load_dataset(broken_copy).account_plans["C10081"]
    assert plan["market_challenges"] == ["Klimaatadaptatie", "Vergrijzing: kennis verdwijnt"]
    assert plan["stakeholders"][0]["stance"] == "supporter"
    assert plan["objectives"][0]["status"] == {"2026-Q4": "not started"}
    assert plan["executive_meetings"][0]["date"] == "2026-12-10"
    shares = [x["estimated_share"] for x in plan["competitors"]]
    assert shares[:2] == [0.2, 0.2] and all(s is None for s in shares[2:])


def test_template_refuses_to_overwrite_without_force(broken_copy, params_for, tmp_path):
    params = params_for(broken_copy)
    out = tmp_path / "C10023.yaml"
    out.write_text("# my own notes\n", encoding="utf-8")
    result = run_cli("plan-template", "C10023", "--params", params, "--out", out)
    assert_problem(result, str(out), "does not exist yet", "--force")
    assert out.read_text(encoding="utf-8") == "# my own notes\n"
    forced = run_cli("plan-template", "C10023", "--params", params, "--out", out, "--force")
    assert forced.returncode == 0, forced.stderr
    assert parse_account_plan(out.read_text(encoding="utf-8"))["group_id"] == "C10023"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp


def test_template_refuses_a_designated_group_with_a_plan(broken_copy, params_for):
    before = (broken_copy / "account_plans" / "C10001.yaml").read_bytes()
    result = run_cli("plan-template", "C10001", "--params", params_for(broken_copy))
    assert_problem(result, "account_plans/C10001.yaml", "does not exist yet")
    assert (broken_copy / "account_plans" / "C10001.yaml").read_bytes() == before


def test_template_refuses_a_second_plan_for_a_group(broken_copy, params_for):
    plans = broken_copy / "account_plans"
    (plans / "C10041.yaml").rename(plans / "hollander-bouw.yaml")
    result = run_cli("plan-template", "C10041", "--params", params_for(broken_copy))
    assert_problem(
        result,
        "account_plans",
        "'C10041'",
        "a group without an account plan",
        "the plan of C10041 already",
    )
    assert not (plans / "C10041.yaml").exists()


def test_template_for_a_subsidiary_names_its_group(broken_copy, params_for):
    result = run_cli("plan-template", "C10024", "--params", params_for(broken_copy))
    assert_problem(
        result,
        "GROUP",
        "'C10024'",
        "a top-level group",
        "on 2026-09-30",
        "belongs to group C10023 (Van Houten Logistiek Groep B.V.)",
    )
    assert not (broken_copy / "account_plans" / "C10024.yaml").exists()


def test_template_for_an_unknown_group(broken_copy, params_for):
    result = run_cli("plan-template", "C99999", "--params", params_for(broken_copy))
    assert_problem(result, "GROUP", "'C99999'", "an account_id that exists in accounts.csv")
    assert not (broken_copy / "account_plans" / "C99999.yaml").exists()


# --------------------------------------------------------------------------- round trip

_text = (
    st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
_day = st.dates().map(lambda d: d.isoformat())
_period = st.one_of(
    st.tuples(st.integers(1990, 2100), st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(st.integers(1990, 2100), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.integers(1990, 2100).map(str),
)


def _item(required: dict, optional: dict):
    return st.fixed_dictionaries(required, optional=optional)


_plan = st.fixed_dictionaries(
    {"group_id": st.from_regex(r"C[0-9]{5}", fullmatch=True)},
    optional={
        "market": _text,
        "market_challenges": st.lists(_text, max_size=4),
        "services": st.lists(_text, max_size=4),
        "competitors": st.lists(
            _item({"name": _text}, {"estimated_share": st.one_of(st.none(), st.floats(0, 0.2))}),
            max_size=5,
        ),
        "stakeholders": st.lists(
            _item(
                {"name": _text},
                {
                    "role": _text,
                    "our_counterpart": _text,
                    "relationship_owner": _text,
                    "stance": st.sampled_from(STANCES),
                },
            ),
            max_size=3,
        ),
        "objectives": st.lists(
            _item(
                {"text": _text},
                {
                    "measure": _text,
                    "target": _text,
                    "due": st.one_of(st.none(), _day),
                    "status": st.dictionaries(
                        _period, st.sampled_from(OBJECTIVE_STATUSES), max_size=3
                    ),
                    "current": st.dictionaries(
                        _period, _text.map(lambda t: " ".join(t.split())), max_size=3
                    ),
                },
            ),
            max_size=3,
        ),
        "executive_meetings": st.lists(
            _item({"date": _day}, {"who": _text, "their_counterpart": _text}), max_size=3
        ),
        "benefits": st.lists(_text, max_size=4),
    },
)


def _expected(plan: dict) -> dict:
    """The plan with every absent field at its documented default."""

    def fill(name: str, given: dict) -> dict:
        out = {}
        for key, field in ACCOUNT_PLAN_FIELDS.items():
            if not key.startswith(f"{name}[]."):
                continue
            sub = key.split(".", 1)[1]
            default = {
                "text": "",
                "share": None,
                "date": None,
                "status": {},
                "progress": {},
                "choice": field.default,
            }[field.kind]
            out[sub] = given.get(sub, default)
        return out

    out = {}
    for key, field in ACCOUNT_PLAN_FIELDS.items():
        if "[]" in key:
            continue
        if field.kind == "list":
            out[key] = [fill(key, item) for item in plan.get(key, [])]
        else:
            out[key] = plan.get(key, [] if field.kind == "text list" else "")
    return out


@settings(max_examples=150, deadline=None)
@given(_plan)
def test_valid_plan_round_trips_through_yaml(plan):
    text = yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)
    loaded = parse_account_plan(text)
    assert loaded == _expected(plan)
    assert parse_account_plan(plan_to_yaml(loaded)) == loaded


def test_dotted_counts_list_items_from_one():
    assert dotted(("objectives", 1, "due")) == "objectives[2].due"
    assert dotted(("objectives", 0, "status", "2026-Q3")) == "objectives[1].status.2026-Q3"

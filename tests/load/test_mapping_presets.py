"""One test per shipped preset: its sample export (tests/load/samples/<preset>/, a
mapping.yaml of one line ``preset: NAME``) loads to the expected contract rows and ledger."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from account_analysis import load_dataset
from account_analysis.consolidate.cube import build_cube
from account_analysis.load.mapping import PRESETS

SAMPLES = Path(__file__).parent / "samples"
COLUMNS = ["invoice_id", "invoice_date", "billing_account", "ordering_unit", "net_amount", "status"]


def contract_rows(folder: Path, currency: str = "EUR") -> list[tuple]:
    d = load_dataset(folder, currency)
    inv = d.invoices[COLUMNS].copy()
    inv["invoice_date"] = inv["invoice_date"].dt.strftime("%Y-%m-%d")
    return [tuple(r) for r in inv.itertuples(index=False)]


def ledger_total(folder: Path, currency: str = "EUR") -> int:
    """Revenue in cents the consolidation counts; the cancelled lines are its exclusions."""
    c = build_cube(load_dataset(folder, currency), cache_dir=None)
    raw = int(c.raw["revenue_cents"].sum())
    assert raw == int(c.cube["revenue_cents"].sum()) + int(c.exclusions["revenue_cents"].sum())
    return int(c.cube["revenue_cents"].sum())


def test_every_preset_has_a_sample():
    assert sorted(PRESETS) == sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())


def test_sap_sd_preset():
    folder = SAMPLES / "sap_sd"
    assert contract_rows(folder) == [
        ("90000001", "2026-01-15", "0000100001", "0000100002", 150000, "posted"),
        ("90000001", "2026-01-15", "0000100001", "0000100002", 25050, "posted"),
        ("90000002", "2026-02-10", "0000100001", "0000100001", -30000, "posted"),
        ("90000003", "2026-03-01", "0000100002", "0000100002", 99999, "cancelled"),
    ]
    d = load_dataset(folder)
    assert d.invoices["line_no"].tolist() == [10, 20, 10, 10]
    assert d.invoices["po_reference"].tolist()[0] == "PO-4711"
    assert ledger_total(folder) == 150000 + 25050 - 30000
    c = build_cube(load_dataset(folder), cache_dir=None)  # KUNAG placed the order of 90000001
    assert c.cube.groupby("unit_id", observed=True)["revenue_cents"].sum().to_dict() == {
        "0000100001": -30000,
        "0000100002": 175050,
    }


def test_exact_online_preset():
    folder = SAMPLES / "exact_online"
    a, b = "7f1c0a52-0001-4c1e-9d7a-000000000001", "7f1c0a52-0001-4c1e-9d7a-000000000002"
    assert contract_rows(folder) == [
        ("26000101", "2026-01-14", a, b, 123450, "posted"),
        ("26000101", "2026-01-14", a, b, 10000, "posted"),
        ("26000102", "2026-02-03", b, b, -20000, "posted"),
        ("26000103", "2026-02-20", b, "", 7525, "open"),
    ]
    accounts = load_dataset(folder).accounts.set_index("account_id")
    assert accounts.loc[b, "parent_id"] == a
    assert ledger_total(folder) == 123450 + 10000 - 20000 + 7525


def test_odoo_preset():
    folder = SAMPLES / "odoo"
    assert contract_rows(folder, "USD") == [
        ("INV/2026/00001", "2026-01-05", "Gift Ideas Corp.", "", 100000, "posted"),
        ("INV/2026/00001", "2026-01-05", "Gift Ideas Corp.", "", 25000, "posted"),
        ("RINV/2026/00001", "2026-01-20", "Gift Ideas West", "", -10000, "posted"),
        ("INV/2026/00002", "2026-02-02", "Gift Ideas West", "", 40000, "cancelled"),
    ]
    d = load_dataset(folder, "USD")
    assert d.invoices["account_manager"].tolist()[0] == "Mitchell Admin"
    assert d.accounts.set_index("account_id").loc["Gift Ideas West", "parent_id"] == (
        "Gift Ideas Corp."
    )
    assert ledger_total(folder, "USD") == 100000 + 25000 - 10000


def test_afas_profit_preset():
    folder = SAMPLES / "afas_profit"
    assert contract_rows(folder) == [
        ("F2026-0001", "2026-03-02", "10001", "", 500000, "posted"),
        ("F2026-0002", "2026-03-15", "10002", "", -45000, "posted"),
    ]
    accounts = load_dataset(folder).accounts
    assert accounts[["postcode", "country"]].values.tolist() == [
        ["2316 XB", "NL"],
        ["2311 AA", "NL"],
    ]
    assert ledger_total(folder) == 500000 - 45000


def test_a_preset_sample_reads_the_same_as_xlsx(tmp_path):
    """The mapping applies to Excel exports too (number cells, not text)."""
    src = SAMPLES / "sap_sd"
    for name in ("VBRP", "KNA1"):
        frame = pd.read_csv(src / f"{name}.csv", dtype=str, keep_default_na=False)
        if name == "VBRP":
            frame["NETWR"] = frame["NETWR"].astype(float)
        frame.to_excel(tmp_path / f"{name}.xlsx", index=False)
    (tmp_path / "mapping.yaml").write_text(
        "preset: sap_sd\ninvoices: {file: VBRP.xlsx}\naccounts: {file: KNA1.xlsx}\n"
    )
    assert [r[4] for r in contract_rows(tmp_path)] == [150000, 25050, -30000, 99999]

"""The ``account-analysis`` command: thin, it parses arguments and calls the library.

Input problems are printed one per line, without a traceback, and exit with status 1.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .errors import InputError
from .present.format import format_count, format_money
from .render.paths import OUTBOX_DIR

PROBLEM_EXIT = 1


def _output_folder(path: Path, option: str) -> Path:
    """``path`` if it is a folder or can be made one; else an input error, before anything is
    written (``mkdir`` would fail half-way with a traceback where a file is in the way)."""
    for part in (path, *path.parents):
        if part.is_dir():
            return path
        if part.exists() or part.is_symlink():
            what = "is a file" if part == path else f"has the file {part} in its path"
            raise InputError.single(path, f"a folder to write to ({option}); this {what}")
    return path


def _dataset_options(args: argparse.Namespace) -> argparse.Namespace:
    """``args`` with the dataset folder, the reporting currency and (where the command has
    one) the window each as given, else as the period's parameter file says (``--params``,
    by default the latest period in ``params/``), as ``run`` and the notebooks read them."""
    needed = [args.dataset, args.currency, getattr(args, "window", 0)]
    args.statuses = None  # disputed and on-hold lines as the defaults say: flagged
    if args.params is None and all(v is not None for v in needed):
        return args
    from .settings.parameters import load_settings

    settings = load_settings(args.params or _latest_params())
    if args.dataset is None:
        args.dataset = settings.dataset_path
    if args.currency is None:
        args.currency = settings.reporting_currency
    if getattr(args, "window", 0) is None:
        args.window = settings.window_months
    args.statuses = settings.statuses
    return args


def _validate(args: argparse.Namespace) -> int:
    from .analysis.assignment import check_account_managers
    from .analysis.territories import check_dataset_territories
    from .load.dataset import load_dataset

    args = _dataset_options(args)
    started = time.perf_counter()
    dataset = load_dataset(args.dataset, args.currency)
    check_account_managers(dataset)
    check_dataset_territories(dataset)
    summary = dataset.summary()
    elapsed = time.perf_counter() - started
    print(f"{args.dataset}: valid ({elapsed:.1f} s)")
    print(f"  {'table':<20}{'file':<26}{'rows':>10}")
    for name, rows in summary["rows"].items():
        source = dataset.sources.get(name)
        print(f"  {name:<20}{source.name if source else '-':<26}{format_count(rows):>10}")
    print(
        f"  {'account plans':<20}{'account_plans/*.yaml':<26}"
        f"{format_count(summary['account_plans']):>10}"
    )
    print(
        f"Invoice dates: {summary['first_invoice']} to {summary['last_invoice']}"
        f" ({format_count(summary['invoices'])} invoices,"
        f" {format_count(summary['credit_lines'])} credit lines,"
        f" {format_count(summary['cancelled_lines'])} cancelled lines)"
    )
    print("Net totals per currency (cancelled lines left out):")
    for currency, cents in summary["totals_cents"].items():
        print(f"  {currency}  {format_money(cents, 'en', currency)}")
    return 0


def _demo_data(args: argparse.Namespace) -> int:
    from .authoring.demo import write_demo_dataset

    _output_folder(args.directory, "demo-data DIRECTORY")
    started = time.perf_counter()
    rows = write_demo_dataset(args.directory, seed=args.seed)
    elapsed = time.perf_counter() - started
    counts = ", ".join(f"{name} {format_count(n)}" for name, n in rows.items())
    print(f"Demo dataset written to {args.directory} in {elapsed:.1f} s: {counts}")
    return 0


def _ledger(args: argparse.Namespace) -> int:
    from .consolidate.cube import build_cube
    from .consolidate.window import flags_in_window, reconcile, reconciliation_holds
    from .load.dataset import load_dataset
    from .periods import parse_period, period_expected

    args = _dataset_options(args)
    try:
        period = parse_period(args.period)
    except ValueError:
        raise InputError.single(
            "--period", period_expected(args.period), value=args.period
        ) from None
    try:
        window = period.window(args.window)
    except ValueError:
        raise InputError.single(
            "--window", "a whole number of months, at least 1", value=args.window
        ) from None
    if args.out:
        _output_folder(args.out, "--out")
    started = time.perf_counter()
    dataset = load_dataset(args.dataset, args.currency)
    c = build_cube(dataset, statuses=args.statuses)
    table = reconcile(c, window)
    elapsed = time.perf_counter() - started
    print(f"{args.dataset}: reconciliation over the {window.describe()} ({elapsed:.1f} s)")
    for item, cents, lines in table.itertuples(index=False):
        print(
            f"  {item:<28}{format_money(cents, 'en', dataset.reporting_currency):>20}"
            f"{format_count(lines):>12} lines"
        )
    ok = reconciliation_holds(table)
    print(
        "  raw in window = consolidated + excluded, to the cent: "
        + ("holds" if ok else "DOES NOT HOLD")
    )
    flagged = flags_in_window(c, window)
    if len(flagged):
        print("Counted but flagged (status_treatment: flag), in the window:")
        for status, cents, lines in flagged.itertuples(index=False):
            print(
                f"  {status:<28}{format_money(cents, 'en', dataset.reporting_currency):>20}"
                f"{format_count(lines):>12} lines"
            )
    movements = c.movements.groupby("match")[["revenue_cents", "lines"]].sum()
    print("Re-attributed revenue (whole file) by kind of rule:")
    for match, (cents, lines) in movements.iterrows():
        print(
            f"  {match:<28}{format_money(cents, 'en', dataset.reporting_currency):>20}"
            f"{format_count(lines):>12} lines"
        )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for name in ("movements", "exclusions", "flags"):
            getattr(c, name).to_csv(args.out / f"{name}.csv", index=False)
        table.to_csv(args.out / "reconciliation.csv", index=False)
        print(
            f"Ledger written to {args.out}: movements.csv, exclusions.csv, flags.csv, "
            "reconciliation.csv (amounts in cents)"
        )
    return 0 if ok else 1


def _inspect(args: argparse.Namespace) -> int:
    from .files import write_atomically
    from .load.propose import propose_mapping
    from .load.read import EXTENSIONS

    path = args.file
    if path.suffix not in EXTENSIONS or not path.is_file():
        what = "a file" if path.is_file() else "an existing file"
        raise InputError.single(path, f"{what} ending in {', '.join(EXTENSIONS)}")
    text = propose_mapping(path, table=args.table, preset=args.preset, rows=args.rows)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    if args.out.exists() and not args.force:
        raise InputError.single(
            "--out", "a file that does not exist yet (or --force)", value=str(args.out)
        )
    if args.out.is_dir() or not args.out.parent.is_dir():
        raise InputError.single(
            "--out", "a file to write in an existing folder", value=str(args.out)
        )
    write_atomically(args.out, text)
    print(
        f"Proposed mapping written to {args.out}; check it, then keep it as "
        f"mapping.yaml in the dataset folder."
    )
    return 0


def _suggest_links(args: argparse.Namespace) -> int:
    from .authoring.links import suggest_links, write_link_review
    from .load.dataset import load_dataset

    if not 0 <= args.min_score <= 100:  # also refuses nan
        raise InputError.single(
            "--min-score", "a score from 0 to 100, such as 85", value=args.min_score
        )
    args = _dataset_options(args)
    out = args.out or Path(args.dataset) / "link_review.csv"
    if out.is_dir() or not out.parent.is_dir():
        raise InputError.single("--out", "a file to write in an existing folder", value=str(out))
    started = time.perf_counter()
    dataset = load_dataset(args.dataset, args.currency)
    suggestions = suggest_links(
        dataset.accounts, min_score=args.min_score, parent_links=dataset.parent_links
    )
    try:
        write_link_review(suggestions, out)
    except OSError as err:
        raise InputError.single(
            "--out", f"a file that can be written ({err.strerror})", value=str(out)
        ) from None
    elapsed = time.perf_counter() - started
    print(
        f"{format_count(len(suggestions))} suggested links (score ≥ {args.min_score:g}) "
        f"written to {out} in {elapsed:.1f} s."
    )
    print(
        "Nothing is applied: fill the accept column, then copy accepted rows into "
        "parent_links.csv with a valid_from."
    )
    for r in suggestions.head(args.show).itertuples(index=False):
        print(
            f"  {r.score:5.1f}  {r.account_id} {r.account_name}  →  "
            f"{r.candidate_parent_id} {r.candidate_parent_name}"
        )
    return 0


def _run(args: argparse.Namespace) -> int:
    from .batch import run_periods

    if args.reports:
        _output_folder(args.reports, "--reports")
    results = run_periods(args.params, reports_dir=args.reports)
    return 0 if all(r.ok for r in results) else 1


def _send(args: argparse.Namespace) -> int:
    from .deliver.mail import send_period
    from .settings.parameters import load_settings

    problems, settings = [], []
    for path in args.params:
        try:
            settings.append((load_settings(path), path.name))
        except InputError as err:
            problems.extend(err.problems)
    if problems:
        raise InputError(problems)
    ok = True
    for s, source in settings:
        r = send_period(s, args.reports, dry_run=args.dry_run, resend=args.resend, source=source)
        done = (
            (
                f"{len(r.written)} written to {r.written[0].parent}"
                if r.written
                else "none written to the outbox"
            )
            if args.dry_run
            else f"{len(r.sent)} sent"
        )
        print(
            f"{s.period}: {done}, {len(r.skipped)} already sent, {len(r.failed)} failed, "
            f"{len(r.refused)} refused"
        )
        if not r.ok:
            ok = False
            print(
                f"{s.period}: {len(r.failed) + len(r.refused)} messages not delivered; "
                "a later `send` delivers only what is missing",
                file=sys.stderr,
            )
    return 0 if ok else 1


def _latest_params() -> Path:
    """The parameter file of the latest period in ``params/``."""
    from . import config
    from .periods import parse_period

    periods = {}
    for path in config.PARAMS_DIR.glob("*.yaml"):
        try:
            periods[path] = parse_period(path.stem).end
        except ValueError:
            continue  # defaults.yaml
    if not periods:
        raise InputError.single(
            config.PARAMS_DIR, "a period parameter file such as 2026-Q3.yaml (or --params)"
        )
    return max(periods, key=periods.get)


def _plan_template(args: argparse.Namespace) -> int:
    from .authoring.plan_template import plan_template, write_plan_template
    from .consolidate.cube import build_cube
    from .load.dataset import load_dataset
    from .load.schema import ACCOUNT_PLANS_DIR
    from .settings.parameters import load_settings

    settings = load_settings(args.params or _latest_params())
    out = args.out or settings.dataset_path / ACCOUNT_PLANS_DIR / f"{args.group}.yaml"
    if out.exists() and not args.force:
        raise InputError.single(
            out,
            "a file that does not exist yet (an account plan is "
            "there already; --force replaces it)",
        )
    dataset = load_dataset(settings.dataset_path, settings.reporting_currency)
    plans_dir = settings.dataset_path / ACCOUNT_PLANS_DIR
    if (
        args.group in dataset.account_plans
        and not out.exists()
        and out.resolve().parent == plans_dir.resolve()
    ):  # a second plan for the group
        raise InputError.single(
            plans_dir,
            "a group without an account plan; one of the files in this "
            f"folder is the plan of {args.group} already",
            value=args.group,
        )
    text = plan_template(
        dataset,
        build_cube(dataset),
        args.group,
        settings.window,
        period=settings.period,
        restate_hierarchy=settings.restate_hierarchy,
        language=settings.language,
    )
    write_plan_template(text, out, force=args.force)
    print(
        f"Account plan template for {args.group} ({settings.period}, "
        f"{settings.window.describe()}) written to {out}."
    )
    print(
        "Fill in the empty fields, then check it with: account-analysis validate "
        f"{settings.dataset_path}"
    )
    return 0


def _dataset_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "dataset",
        type=Path,
        nargs="?",
        default=None,
        help="dataset folder (default: dataset of the parameter file)",
    )
    p.add_argument(
        "--currency",
        default=None,
        help="reporting currency (default: reporting_currency of the parameter file)",
    )
    p.add_argument(
        "--params",
        type=Path,
        default=None,
        help="period parameter file whose dataset, reporting_currency, "
        "window_months and status_treatment are the defaults (default: the latest "
        "period in params/)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="account-analysis",
        description="Revenue concentration, Large Account designation and briefings.",
    )
    parser.add_argument(
        "--traceback",
        action="store_true",
        help="show the Python traceback of input errors (for developers)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check a dataset folder against the data contract")
    _dataset_arguments(p)
    p.set_defaults(func=_validate)

    p = sub.add_parser("demo-data", help="write the deterministic demo dataset")
    p.add_argument("directory", type=Path, help="folder to write (created if needed)")
    p.add_argument("--seed", type=int, default=20260930, help="random seed")
    p.set_defaults(func=_demo_data)

    p = sub.add_parser("ledger", help="consolidate a dataset and show its reconciliation")
    _dataset_arguments(p)
    p.add_argument(
        "--period",
        required=True,
        help="reporting period whose window is reconciled (2026-Q3, 2026-09, 2026)",
    )
    p.add_argument(
        "--window",
        type=int,
        default=None,
        help="window in months (default: window_months of the parameter file)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder to write movements.csv, exclusions.csv, reconciliation.csv",
    )
    p.set_defaults(func=_ledger)

    p = sub.add_parser(
        "suggest-links", help="propose accounts that probably belong to one group, for review"
    )
    _dataset_arguments(p)
    p.add_argument("--min-score", type=float, default=85.0, help="0–100 (default 85)")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="review CSV to write (default DATASET/link_review.csv)",
    )
    p.add_argument("--show", type=int, default=10, help="suggestions to print (default 10)")
    p.set_defaults(func=_suggest_links)

    p = sub.add_parser("run", help="render the reports of one or more periods")
    p.add_argument("params", nargs="+", type=Path, help="period parameter files")
    p.add_argument(
        "--reports",
        type=Path,
        default=None,
        help="output folder (default: reports/ in the project)",
    )
    p.set_defaults(func=_run)

    p = sub.add_parser("send", help="mail the rendered reports of one or more periods")
    p.add_argument("params", nargs="+", type=Path, help="period parameter files")
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=f"write the messages to reports/PERIOD/{OUTBOX_DIR}/ instead of sending",
    )
    p.add_argument(
        "--resend", action="store_true", help="send again what the period's sent-log says was sent"
    )
    p.add_argument(
        "--reports",
        type=Path,
        default=None,
        help="reports folder (default: reports/ in the project)",
    )
    p.set_defaults(func=_send)

    p = sub.add_parser(
        "inspect", help="read an export's header and first rows and propose a mapping.yaml"
    )
    p.add_argument("file", metavar="FILE", type=Path, help="the export (CSV, xlsx, Parquet)")
    p.add_argument("--table", default=None, help="contract table (default: the best fit)")
    p.add_argument("--preset", default=None, help="start from a shipped preset, e.g. sap_sd")
    p.add_argument("--rows", type=int, default=20, help="rows to read (default 20)")
    p.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=_inspect)

    p = sub.add_parser(
        "plan-template", help="write a pre-filled account plan for a newly designated group"
    )
    p.add_argument("group", metavar="GROUP", help="top-level account id of the group")
    p.add_argument(
        "--params",
        type=Path,
        default=None,
        help="period parameter file (default: the latest period in params/)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="file to write (default DATASET/account_plans/GROUP.yaml)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=_plan_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as err:
        if args.traceback:
            raise
        noun = "problem" if err.count == 1 else "problems"
        print(f"error: {err.count:,} input {noun}:", file=sys.stderr)
        print(err.message(), file=sys.stderr)
        return PROBLEM_EXIT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `account-analysis ledger … | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error
        return PROBLEM_EXIT


if __name__ == "__main__":
    sys.exit(main())

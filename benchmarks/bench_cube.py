"""Benchmark: building the cube from a large Parquet invoice file, against DuckDB's GROUP BY.

The requirement: on the generated 5,000,000-line dataset (``gen_large.py``), the whole cube
build (load, attribute, roll up, aggregate) takes at most 1.5× the time of DuckDB's plain

    SELECT billing_account, date_trunc('month', invoice_date) AS month, service_line,
           sum(net_amount), count(*) FROM read_parquet('…/invoices.parquet') GROUP BY ALL

over the same file, and peaks under 1.5 GB of memory (1.5 × 10⁹ bytes, resident).

Each measurement runs in its own fresh interpreter, so imports and peak memory are measured
honestly; the two variants alternate (their order flips every round) so machine noise hits
both alike. Per variant: seconds inside the child from before its first import
(``import duckdb`` / ``import account_analysis``) to the result; the child's whole wall time
(interpreter start-up included); and its peak resident memory (``ru_maxrss`` of the child,
from ``os.wait4``, with the child's own ``VmHWM`` as a cross-check). Each child is started
by a small launcher interpreter that has not loaded the data: ``ru_maxrss`` survives fork
and exec, so a child of this process (which may have generated the data) would report this
process's peak instead of its own. Our variant is also split into its stages:
``import``, ``load_dataset`` and ``build_cube``. Medians over ``--repeat`` rounds; the
targets are printed as PASS/FAIL, never asserted (a benchmark, not a test)::

    .venv/bin/python benchmarks/bench_cube.py                  # 5M lines, 5 rounds
    .venv/bin/python benchmarks/bench_cube.py --lines 500000 --repeat 3
    .venv/bin/python benchmarks/bench_cube.py --data /path/to/dataset --json out.json

The dataset is generated (or reused) with ``gen_large.py``; see ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import sys
import time

RESULT_PREFIX = "BENCH-RESULT "
TIME_TARGET = 1.5  # ours ÷ duckdb
MEMORY_TARGET_MB = 1500.0  # 1.5 GB, in MB of 10^6 bytes
QUERY = (
    "SELECT billing_account, date_trunc('month', invoice_date) AS month, service_line, "
    "sum(net_amount) AS net_amount, count(*) AS lines "
    "FROM read_parquet('{path}') GROUP BY ALL"
)


# --------------------------------------------------------------------------- children


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB on Linux


def _child_duckdb(folder: str, fetch: str) -> dict:
    t0 = time.perf_counter()
    import duckdb

    t_import = time.perf_counter()
    rel = duckdb.sql(QUERY.format(path=os.path.join(folder, "invoices.parquet").replace("'", "''")))
    if fetch == "df":
        result = rel.df()
        rows, lines = len(result), int(result["lines"].sum())
    elif fetch == "arrow":
        to_table = getattr(rel, "to_arrow_table", None)  # .arrow() streams in DuckDB 2
        result = to_table() if to_table else rel.arrow()
        rows, lines = result.num_rows, int(sum(result.column("lines").to_pylist()))
    else:
        result = rel.fetchall()
        rows, lines = len(result), sum(r[4] for r in result)
    t_end = time.perf_counter()
    threads = duckdb.execute("SELECT current_setting('threads')").fetchall()[0][0]
    return {
        "status": "ok",
        "total": t_end - t0,
        "stages": {"import": t_import - t0, "query": t_end - t_import},
        "result_rows": rows,
        "lines": lines,
        "duckdb_version": duckdb.__version__,
        "threads": int(threads),
        "fetch": fetch,
        "maxrss_mb": _maxrss_mb(),
        "vmhwm_mb": _vmhwm_mb(),
    }


def _child_ours(folder: str) -> dict:
    t0 = time.perf_counter()
    import account_analysis

    t_import = time.perf_counter()
    out: dict = {"stages": {"import": t_import - t0}}
    try:
        ds = account_analysis.load_dataset(folder)
    except Exception as err:  # noqa: BLE001 - report whatever the loader raises
        out.update(
            status=f"load_dataset failed: {type(err).__name__}: {err}"[:500],
            total=None,
            maxrss_mb=_maxrss_mb(),
        )
        return out
    t_load = time.perf_counter()
    out["stages"]["load_dataset"] = t_load - t_import
    out["maxrss_after_load_mb"] = _maxrss_mb()
    try:
        consolidate = importlib.import_module("account_analysis.consolidate.cube")
    except ImportError:
        consolidate = None
    build_cube = getattr(consolidate, "build_cube", None)
    if build_cube is None:
        out.update(
            status="build_cube not available",
            total=None,
            maxrss_mb=_maxrss_mb(),
            load_total=t_load - t0,
        )
        return out
    try:
        result = build_cube(ds, cache_dir=None)
        cube = result.cube
        t_end = time.perf_counter()
    except Exception as err:  # noqa: BLE001 - a work in progress may fail in any way
        out.update(
            status=f"build_cube failed: {type(err).__name__}: {err}"[:500],
            total=None,
            maxrss_mb=_maxrss_mb(),
            load_total=t_load - t0,
        )
        return out
    out["stages"]["build_cube"] = t_end - t_load
    # Counted from the result: ds.invoices would read a DuckDB-validated file into pandas.
    out["lines"] = int(result.raw["lines"].sum())
    out.update(
        status="ok",
        total=t_end - t0,
        load_total=t_load - t0,
        result_rows=int(len(cube)),
        result_columns=[str(c) for c in cube.columns],
        maxrss_mb=_maxrss_mb(),
        vmhwm_mb=_vmhwm_mb(),
    )
    return out


def child_main(kind: str, folder: str, fetch: str) -> int:
    result = _child_duckdb(folder, fetch) if kind == "duckdb" else _child_ours(folder)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


# --------------------------------------------------------------------------- parent


def _vmhwm_mb() -> float | None:
    """Peak resident memory of this process's own address space (Linux VmHWM), which,
    unlike ``ru_maxrss``, does not carry a parent's peak across fork and exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return None


def run_child(kind: str, folder, fetch: str, timeout: float) -> dict:
    """One measurement in a fresh interpreter, started by a small launcher (also a fresh
    interpreter) that has not loaded the data and reports the child's wall time, CPU and
    peak memory.

    The launcher is needed for honest memory: ``ru_maxrss`` is kept across ``fork`` and
    ``exec`` (the kernel saves the peak of the address space being replaced), so a child
    started straight from this process, which may have generated the data (~1.5 GB for
    5M lines), would report this process's peak, the same for both variants. The
    launcher's own address space is small, so that is all its children can inherit.
    """
    import subprocess

    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--launch",
        kind,
        str(folder),
        "--duckdb-fetch",
        fetch,
        "--timeout",
        str(timeout),
    ]
    proc = subprocess.run(cmd, capture_output=True, check=False)
    for line in proc.stdout.decode("utf-8", errors="replace").splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    tail = (proc.stderr.decode("utf-8", errors="replace").strip().splitlines() or ["no output"])[-1]
    return {
        "status": f"launcher failed (exit {proc.returncode}): {tail}"[:500],
        "total": None,
        "wall": float("nan"),
        "cpu": None,
        "peak_rss_mb": float("nan"),
        "exit": proc.returncode,
    }


def launch_main(kind: str, folder: str, fetch: str, timeout: float) -> int:
    """The launcher: run the child, add its wall time, CPU and peak memory (``os.wait4``),
    print the result line."""
    import subprocess
    import tempfile
    import threading

    cmd = [
        sys.executable,
        os.path.abspath(__file__),
        "--child",
        kind,
        folder,
        "--duckdb-fetch",
        fetch,
    ]
    launcher_peak = _vmhwm_mb()
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            out = proc.stdout.read().decode("utf-8", errors="replace")
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    result = None
    for line in out.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    if result is None:
        tail = (stderr.strip().splitlines() or ["no output"])[-1]
        why = "timed out" if proc.returncode == -9 else f"exit {proc.returncode}"
        result = {"status": f"child failed ({why}): {tail}"[:500], "total": None}
    result["wall"] = wall
    result["cpu"] = usage.ru_utime + usage.ru_stime  # every thread, start-up included
    result["peak_rss_mb"] = usage.ru_maxrss * 1024 / 1e6
    result["launcher_peak_mb"] = launcher_peak
    result["exit"] = proc.returncode
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


def _median(values):
    import statistics

    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def _fmt(v, spec=".2f", none="—") -> str:
    return none if v is None else format(v, spec)


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def report(rounds: list[dict], meta: dict) -> dict:
    """Print the table; return the summary."""
    duck = [r["duckdb"] for r in rounds]
    ours = [r["ours"] for r in rounds]
    ok = [o for o in ours if o.get("status") == "ok"]
    statuses = sorted({o.get("status", "?") for o in ours if o.get("status") != "ok"})

    def row(label, values, wall=None, rss=None, cpu=None):
        vals = [v for v in values if v is not None]
        med = _median(vals)
        lo, hi = (min(vals), max(vals)) if vals else (None, None)
        return (
            f"{label:34s} {_fmt(med):>8s} {_fmt(lo):>8s} {_fmt(hi):>8s} "
            f"{_fmt(_median(wall or [])):>9s} {_fmt(_median(cpu or [])):>8s} "
            f"{_fmt(rss, '.0f'):>9s}"
        )

    print()
    print(f"dataset  {meta['folder']}")
    print(
        f"         {meta['lines']:,} invoice lines, invoices.parquet "
        f"{meta['parquet_mb']:.1f} MB; {len(rounds)} rounds, order flips every round"
    )
    d0 = next((d for d in duck if d.get("status") == "ok"), {})
    print(
        f"duckdb   {d0.get('duckdb_version', '?')}, threads={d0.get('threads', '?')}, "
        f"fetch={d0.get('fetch', '?')}, result rows {d0.get('result_rows', '?'):,}"
        if d0
        else "duckdb   failed: " + "; ".join(sorted({d.get("status", "?") for d in duck}))
    )
    print()
    print(
        f"{'seconds (in child unless noted)':34s} {'median':>8s} {'min':>8s} {'max':>8s} "
        f"{'wall med':>9s} {'cpu med':>8s} {'peak MB':>9s}"
    )
    print(
        row(
            "(a) duckdb GROUP BY, total",
            [d.get("total") for d in duck],
            [d["wall"] for d in duck],
            max(d["peak_rss_mb"] for d in duck),
            [d.get("cpu") for d in duck],
        )
    )
    print(row("    import duckdb", [d.get("stages", {}).get("import") for d in duck]))
    print(row("    query + fetch", [d.get("stages", {}).get("query") for d in duck]))
    if ok:
        print(
            row(
                "(b) ours: load + build_cube, total",
                [o["total"] for o in ok],
                [o["wall"] for o in ok],
                max(o["peak_rss_mb"] for o in ok),
                [o.get("cpu") for o in ok],
            )
        )
    else:
        print(f"(b) ours: {'; '.join(statuses)}")
    print(row("    import account_analysis", [o.get("stages", {}).get("import") for o in ours]))
    after_load = [o["maxrss_after_load_mb"] for o in ours if "maxrss_after_load_mb" in o]
    print(
        row(
            "    load_dataset",
            [o.get("stages", {}).get("load_dataset") for o in ours],
            None,
            max(after_load) if after_load else None,
        )
    )
    print(row("    build_cube", [o.get("stages", {}).get("build_cube") for o in ours]))
    if ok and len(ok) < len(ours):
        print(f"    ({len(ours) - len(ok)} of {len(ours)} rounds failed: {'; '.join(statuses)})")
    print()
    # Peak memory per side, medians: ru_maxrss as the launcher saw it, and the child's own
    # VmHWM as a cross-check (the two agree when nothing inherited a parent's peak).
    for label, side in (("duckdb", duck), ("ours", ours)):
        rss = _median([r.get("peak_rss_mb") for r in side])
        hwm = _median([r.get("vmhwm_mb") for r in side])
        launcher = _median([r.get("launcher_peak_mb") for r in side])
        print(
            f"peak memory {label:6s}  median {_fmt(rss, '.0f')} MB (ru_maxrss, wait4), "
            f"{_fmt(hwm, '.0f')} MB (VmHWM in child); launcher {_fmt(launcher, '.0f')} MB"
        )
    print()

    summary: dict = {"statuses": statuses}
    paired = [
        (r["ours"], r["duckdb"])
        for r in rounds
        if r["ours"].get("status") == "ok" and r["duckdb"].get("status") == "ok"
    ]
    if paired:
        per_round = [o["total"] / d["total"] for o, d in paired]
        per_round_wall = [o["wall"] / d["wall"] for o, d in paired]
        of_medians = _median([o["total"] for o, _ in paired]) / _median(
            [d["total"] for _, d in paired]
        )
        of_medians_wall = _median([o["wall"] for o, _ in paired]) / _median(
            [d["wall"] for _, d in paired]
        )
        ratio = _median(per_round)
        ratio_wall = _median(per_round_wall)
        print(
            f"ratio ours/duckdb, in child:  median of per-round ratios {ratio:.2f}x, "
            f"ratio of medians {of_medians:.2f}x  (rounds: "
            f"{', '.join(f'{r:.2f}' for r in per_round)})"
        )
        print(
            f"ratio ours/duckdb, wall:      median of per-round ratios {ratio_wall:.2f}x, "
            f"ratio of medians {of_medians_wall:.2f}x"
        )
        # CPU seconds (user + system, every thread) leave out the time the machine gave
        # to other jobs: on a shared machine they compare variants more steadily.
        ratio_cpu = _median([o["cpu"] / d["cpu"] for o, d in paired])
        print(
            f"ratio ours/duckdb, CPU:       median of per-round ratios {ratio_cpu:.2f}x "
            f"(work done, not the target's measure)"
        )
        time_ok = ratio <= TIME_TARGET
        peak = max(o["peak_rss_mb"] for o, _ in paired)
        mem_ok = peak <= MEMORY_TARGET_MB
        summary.update(
            ratio=ratio,
            ratio_of_medians=of_medians,
            ratio_wall=ratio_wall,
            ratio_cpu=ratio_cpu,
            ratio_wall_of_medians=of_medians_wall,
            peak_mb=peak,
        )
        print(
            f"target time   ≤ {TIME_TARGET}x duckdb (median of per-round ratios, in child): "
            f"{_verdict(time_ok)} ({ratio:.2f}x; wall {ratio_wall:.2f}x "
            f"{_verdict(ratio_wall <= TIME_TARGET)})"
        )
        print(
            f"target memory ≤ {MEMORY_TARGET_MB:.0f} MB peak RSS (max over rounds): "
            f"{_verdict(mem_ok)} ({peak:.0f} MB)"
        )
    else:
        peak = max((o["peak_rss_mb"] for o in ours), default=None)
        why = "; ".join(statuses) or "no successful round"
        print(f"target time   ≤ {TIME_TARGET}x duckdb: n/a ({why})")
        print(
            f"target memory ≤ {MEMORY_TARGET_MB:.0f} MB: n/a ({why}); peak of what ran "
            f"(import + load_dataset): {_fmt(peak, '.0f')} MB"
        )
        summary.update(peak_mb_partial=peak)
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Cube build vs DuckDB GROUP BY on a large generated dataset."
    )
    parser.add_argument(
        "--data",
        help="dataset folder; generated there when it does not "
        "hold a complete dataset with these parameters (default: a folder "
        "under the temp directory, see gen_large.py)",
    )
    parser.add_argument("--lines", type=int, default=5_000_000)
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--rules", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--date-type", choices=("date", "timestamp"), default="date")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--warmup",
        type=int,
        default=0,
        help="untimed rounds first (default 0; files are read once anyway)",
    )
    parser.add_argument(
        "--duckdb-fetch",
        choices=("df", "fetchall", "arrow"),
        default="df",
        help="how DuckDB's result is materialised (default: a DataFrame)",
    )
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per child")
    parser.add_argument("--json", help="write every round's measurements to this file")
    parser.add_argument("--child", choices=("duckdb", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("--launch", choices=("duckdb", "ours"), help=argparse.SUPPRESS)
    parser.add_argument("folder", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args.child, args.folder, args.duckdb_fetch)
    if args.launch:
        return launch_main(args.launch, args.folder, args.duckdb_fetch, args.timeout)

    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import gen_large

    params = dict(
        n_lines=args.lines,
        n_accounts=args.accounts,
        n_rules=args.rules,
        seed=gen_large.DEFAULT_SEED if args.seed is None else args.seed,
        date_type=args.date_type,
    )
    folder = Path(args.data) if args.data else gen_large.default_folder(**params)
    if (
        args.data
        and (folder / "invoices.parquet").exists()
        and not (folder / gen_large.MARKER).exists()
    ):
        print(f"using the dataset in {folder} as it is (not generated by gen_large.py)")
    else:
        started = time.perf_counter()
        meta = gen_large.generate(folder, **params)
        took = time.perf_counter() - started
        print(
            f"dataset {folder}: "
            + (f"generated in {took:.1f} s" if meta["generated"] else "reused")
        )
    parquet = folder / "invoices.parquet"
    for path in sorted(folder.iterdir()):  # into the page cache, for both variants alike
        if path.is_file():
            with open(path, "rb") as f:
                while f.read(1 << 24):
                    pass
    import pyarrow.parquet as pq

    lines = pq.ParquetFile(parquet).metadata.num_rows
    rounds = []
    total = args.warmup + args.repeat
    for i in range(total):
        order = ("duckdb", "ours") if i % 2 == 0 else ("ours", "duckdb")
        res = {k: run_child(k, folder, args.duckdb_fetch, args.timeout) for k in order}
        label = "warm-up" if i < args.warmup else f"round {i - args.warmup + 1}/{args.repeat}"
        parts = []
        for k in order:
            r = res[k]
            t = f"{r['total']:.2f} s" if r.get("total") is not None else r.get("status", "?")
            stages = ", ".join(f"{s} {v:.2f}" for s, v in r.get("stages", {}).items())
            parts.append(
                f"{k} {t} (wall {r['wall']:.2f} s, {r['peak_rss_mb']:.0f} MB"
                + (f"; {stages})" if stages else ")")
            )
        print(f"{label}: " + " | ".join(parts), flush=True)
        if i >= args.warmup:
            rounds.append({"order": list(order), **res})
    meta = {"folder": str(folder), "lines": lines, "parquet_mb": parquet.stat().st_size / 1e6}
    summary = report(rounds, meta)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"meta": meta, "python": sys.version, "rounds": rounds, "summary": summary},
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

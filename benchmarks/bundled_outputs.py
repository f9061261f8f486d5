"""Record, or check, the numbers of every bundled scenario.

The engine is rebuilt from time to time (issue 7: one engine for every layer); its results must
not move. ``record`` solves every bundled scenario and writes its per-date tables (economies,
flows, policies, timeline) to a folder of Parquet files; ``check`` solves them again and
compares every column of the recording with the new one (new columns are listed, not
compared), printing the largest absolute difference per
scenario and table.

Usage::

    python benchmarks/bundled_outputs.py record OUT_DIR      # e.g. /tmp/bundled-before
    python benchmarks/bundled_outputs.py check OUT_DIR [--tol 1e-12] [--relative]

``--relative`` compares each column's largest difference relative to its largest value instead
(a change of floating-point rounding, e.g. in the solver's linear algebra, moves ill-conditioned
columns such as ``trade_balance_change_pct`` = 100 (D' − D)/|D| with a small |D|, and optimum
rates found within a search tolerance, by more than 1e-12 in absolute terms).
``check`` exits 1 when any difference exceeds ``--tol`` (absolute, on values that are
percentages, USD bn or rates) or when a table's rows or columns differ.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import worldorder as wo
from worldorder.scenarios.scenario import bundled_scenarios
from worldorder.scenarios.timeline import simulate_timeline

TABLES = ("economies", "flows", "policies", "timeline")


def _tables(name: str) -> dict[str, pd.DataFrame]:
    res = simulate_timeline(name)
    out = {t: getattr(res, t).reset_index(drop=True) for t in TABLES}
    out["timeline"] = out["timeline"].drop(columns=["details"], errors="ignore")
    return out


def record(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in bundled_scenarios():
        t0 = time.perf_counter()
        for table, df in _tables(name).items():
            df.to_parquet(folder / f"{name}.{table}.parquet", index=False)
        print(f"{name:40s} recorded in {time.perf_counter() - t0:6.2f} s")
    (folder / "VERSION").write_text(wo.__version__ + "\n")


def check(folder: Path, tol: float, relative: bool = False) -> int:
    bad = 0
    recorded = {p.name.split(".")[0] for p in folder.glob("*.economies.parquet")}
    for name in bundled_scenarios():
        if name not in recorded:
            print(f"{name:40s} new since the recording: not compared")
            continue
        new = _tables(name)
        for table, df in new.items():
            path = folder / f"{name}.{table}.parquet"
            if not path.exists():
                print(f"{name:40s} {table:10s} no recording")
                bad += 1
                continue
            old = pd.read_parquet(path)
            lost = [c for c in old.columns if c not in df.columns]
            if lost or len(old) != len(df):
                print(f"{name:40s} {table:10s} SHAPE differs: {old.shape} -> {df.shape}; "
                      f"columns lost: {lost}")
                bad += 1
                continue
            added = [c for c in df.columns if c not in old.columns]
            if added:
                print(f"{name:40s} {table:10s} new columns (not compared): {added}")
            worst, worst_rel, where = 0.0, 0.0, ""
            for col in old.columns:
                a, b = old[col], df[col]
                if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a):
                    x, y = a.to_numpy(float), b.to_numpy(float)
                    both_nan = np.isnan(x) & np.isnan(y)
                    d = np.where(both_nan, 0.0, np.abs(x - y))
                    dmax = float(np.nanmax(d)) if d.size else 0.0
                    if np.isnan(d).any():
                        dmax = float("inf")
                    scale = float(np.nanmax(np.abs(x))) if d.size and not both_nan.all() else 0.0
                    rel = dmax / scale if scale > 0 else dmax
                    if dmax > worst:
                        worst, where = dmax, col
                    worst_rel = max(worst_rel, rel)
                elif not a.astype(str).equals(b.astype(str)):
                    print(f"{name:40s} {table:10s} column {col!r} differs")
                    bad += 1
            measure = worst_rel if relative else worst
            flag = "ok" if measure <= tol else "DIFFERS"
            bad += measure > tol
            detail = f" in {where!r}" if worst > 0 else ""
            print(f"{name:40s} {table:10s} max |diff| {worst:.2e}{detail}; relative to the "
                  f"column's largest value {worst_rel:.1e}  {flag}")
    print("all equal within tolerance" if not bad else f"{bad} differences")
    return 1 if bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["record", "check"])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--tol", type=float, default=1e-12)
    ap.add_argument("--relative", action="store_true",
                    help="compare |diff| relative to each column's largest value with --tol")
    a = ap.parse_args()
    if a.mode == "record":
        record(a.folder)
        return 0
    return check(a.folder, a.tol, a.relative)


if __name__ == "__main__":
    sys.exit(main())

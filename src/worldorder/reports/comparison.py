"""Several runs side by side: the data of the comparison report.

:func:`load_comparison` reads the run folders and tabulates ``welfare_pct`` at each run's last
date for the chosen economies: those asked for, else the economies the runs' timelines name as
parties (preferring the steps in which the runs differ), else the largest changes.
No HTML here (see :mod:`worldorder.reports.comparison_page`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from worldorder.reports.run import ReportError, RunData, load_run

__all__ = ["MAX_LARGEST", "MAX_PARTIES", "Comparison", "load_comparison", "run_labels"]

MAX_PARTIES = 20  # at most this many parties by default
MAX_LARGEST = 12  # without parties: this many economies with the largest changes
TIE = 1e-9


@dataclass(eq=False)
class Comparison:
    """Runs compared at their last dates.

    Attributes:
        runs: The runs, in the order given.
        labels: One short unique label per run (default: the scenario names).
        economies: The economies compared, best off on average first.
        welfare: ``welfare_pct`` at each run's last date: one row per economy of
            ``economies``, one column per label (NaN where a run lacks the economy).
        chosen_by: How the economies were chosen: ``asked``, ``parties`` or ``largest``.
        candidates: How many economies qualified (more than shown when the list was cut).
    """

    runs: list[RunData]
    labels: list[str]
    economies: list[str]
    welfare: pd.DataFrame
    chosen_by: str
    candidates: int = 0

    @property
    def best(self) -> dict[str, list[str]]:
        """Economy to the labels of the runs in which it is best off (several when tied)."""
        out = {}
        for code, row in self.welfare.iterrows():
            vals = row.dropna()
            out[str(code)] = ([str(k) for k, v in vals.items() if v >= vals.max() - TIE]
                              if len(vals) else [])
        return out

    @cached_property
    def names(self) -> dict[str, str]:
        """Economy code to name, from every run (built once)."""
        out: dict[str, str] = {}
        for run in self.runs:
            out |= run.names
        return out


def _scenario_name(run: RunData) -> str:
    return str((run.manifest.get("scenario") or {}).get("name") or run.run_id)


def run_labels(runs: Sequence[RunData], labels: Sequence[str] | None = None) -> list[str]:
    """``labels`` checked (one per run, unique), or the scenario names (numbered when two runs
    share one).

    Raises:
        ReportError: When the labels do not match the runs.
    """
    if labels is not None:
        labels = [str(x).strip() for x in labels]
        if len(labels) != len(runs):
            raise ReportError(f"labels: {len(labels)} given for {len(runs)} runs")
        if any(not x for x in labels) or len(set(labels)) != len(labels):
            raise ReportError("labels: each run needs its own non-empty label")
        return labels
    names = [_scenario_name(r) for r in runs]
    return [f"{n} ({k + 1})" if names.count(n) > 1 else n for k, n in enumerate(names)]


def _last(run: RunData) -> pd.Series:
    return run.at("economies", run.last_date).set_index("economy")["welfare_pct"].astype(float)


def _steps(run: RunData) -> list[tuple[str, str, str, list[str]]]:
    tl = run.timeline
    details = tl["details"] if "details" in tl.columns else [""] * len(tl)
    parties = tl["parties"] if "parties" in tl.columns else [""] * len(tl)
    return [(str(d), str(a), str(x), [p for p in str(ps or "").split(",") if p])
            for d, a, x, ps in zip(tl["date"], tl["action"], details, parties, strict=True)]


def _party_economies(runs: Sequence[RunData]) -> dict[str, int]:
    """Each economy named as a party, with the number of runs naming it; only the steps in which
    the runs differ count when there are some (shared history names everyone)."""
    steps = [_steps(r) for r in runs]
    keys = [{s[:3] for s in run_steps} for run_steps in steps]
    shared = set.intersection(*keys) if keys else set()
    differ = any(k - shared for k in keys)
    count: dict[str, int] = {}
    for run, run_steps in zip(runs, steps, strict=True):
        named = [p for s in run_steps if not differ or s[:3] not in shared for p in s[3]]
        codes, _ = run.expand(dict.fromkeys(named))
        for c in codes:
            count[c] = count.get(c, 0) + 1
    return count


def _asked(runs: Sequence[RunData], economies: Sequence[str]) -> list[str]:
    out: list[str] = []
    for name in economies:
        for run in runs:
            codes, unknown = run.expand([name])
            if not unknown:
                out += codes
                break
        else:
            known = sorted({str(c) for r in runs for c in r.economies["economy"]})
            raise ReportError(f"economy {name!r} is in none of the runs (economies: "
                              f"{', '.join(known)})")
    return list(dict.fromkeys(out))


def load_comparison(run_dirs: Sequence[Path], labels: Sequence[str] | None = None,
                    economies: Sequence[str] | None = None) -> Comparison:
    """Read run folders and tabulate each run's welfare at its last date.

    Args:
        run_dirs: Two or more run folders.
        labels: A short label per run (default: the scenario names).
        economies: Economy codes or groups (e.g. ``EU``) to compare. Default: the economies the
            timelines name as parties (at most :data:`MAX_PARTIES`, those named by most runs and
            with the largest changes first; only the steps in which the runs differ count when
            there are some), else the :data:`MAX_LARGEST` largest absolute changes (``ROW``
            left out).

    Raises:
        ReportError: Fewer than two runs, an unreadable run, labels that do not match the runs,
            or an economy in none of them.
    """
    if len(run_dirs) < 2:
        raise ReportError("a comparison needs at least two runs")
    runs = [load_run(p) for p in run_dirs]
    names = run_labels(runs, labels)
    last = pd.DataFrame({n: _last(r) for n, r in zip(names, runs, strict=True)})
    size = last.abs().max(axis=1).fillna(0.0)
    if economies:
        chosen, how = _asked(runs, economies), "asked"
        candidates = len(chosen)
    else:
        count = _party_economies(runs)
        ranked = sorted((c for c in count if c in last.index),
                        key=lambda c: (-count[c], -size.get(c, 0.0), c))
        chosen, how, candidates = ranked[:MAX_PARTIES], "parties", len(ranked)
        if not chosen:
            ranked = [str(c) for c in size.drop("ROW", errors="ignore")
                      .sort_values(ascending=False, kind="stable").index]
            chosen, how, candidates = ranked[:MAX_LARGEST], "largest", len(ranked)
    table = last.reindex(chosen)
    mean = table.mean(axis=1, skipna=True).fillna(-np.inf)
    order = sorted(chosen, key=lambda c: (-mean[c], chosen.index(c)))
    return Comparison(runs=runs, labels=names, economies=order, welfare=table.loc[order],
                      chosen_by=how, candidates=candidates)

"""Plain data for the report's tables: the timeline with what each date changed, the headline
numbers, the parameters and the provenance. No HTML here (see :mod:`worldorder.reports.html`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from worldorder.reports.run import RunData

__all__ = ["PARAMETER_MEANINGS", "TariffChange", "TimelineRow", "flatten", "headline",
           "parameter_rows", "tariff_changes", "timeline_rows"]

PARAMETER_MEANINGS = {
    "preset": "named set of parameter values (a published calibration)",
    "revenue": "use of tariff revenue: income_tax = cuts labour-income taxes, lump_sum = "
               "handed back to households",
    "closure": "how trade deficits behave: fixed_transfers = fixed relative to world income, "
               "proportional = fixed share of own income, balanced = removed first",
    "numeraire": "what prices are measured against",
    "epsilon": "trade elasticity: how strongly buyers switch suppliers when prices change",
    "kappa": "labour-supply elasticity: how much employment responds to real wages",
    "psi": "scale economies: how much unit costs fall as an exporter grows",
    "nu": "share of the value of sales in a market paid to that market's own factors "
          "(local distribution)",
    "phi": "tariff pass-through parameter",
}


@dataclass(frozen=True)
class TariffChange:
    """One pair's tariff moving between two solved dates (fractions, 0.1 = 10%)."""

    imposer: str
    target: str
    before: float
    after: float


@dataclass(frozen=True)
class TimelineRow:
    """One scenario step for the timeline table.

    Attributes:
        date: Its date (``undated`` for a scenario without dates).
        action: The action's name (``tariff``, ``tariff_deal``, ...).
        summary: One human sentence.
        parties: Economy codes involved.
        source: Where the step comes from (a reference or a URL; may be empty).
        priced: Whether the trade model prices it.
        first_of_date: True for the first row of its date (the row that shows the date's
            tariff changes).
        rows_on_date: How many rows share this date.
    """

    date: str
    action: str
    summary: str
    parties: list[str]
    source: str
    priced: bool
    first_of_date: bool
    rows_on_date: int


def _state(policies: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    return {(str(r.imposer), str(r.target)): (float(r.rate_before), float(r.rate_after))
            for r in policies.itertuples()}


def tariff_changes(run: RunData, date: str) -> list[TariffChange]:
    """Tariff pairs whose rate at ``date`` differs from the previous solved date (or from the
    baseline at the first date), largest change first."""
    dates = run.dates
    if date not in dates:
        return []  # not a solved date: the trade policy did not change
    now = _state(run.at("policies", date))
    k = dates.index(date)
    prev = _state(run.at("policies", dates[k - 1])) if k > 0 else {}
    out = []
    for pair in sorted(set(now) | set(prev)):
        base = (now.get(pair) or prev.get(pair))[0]
        before = prev[pair][1] if pair in prev else base
        after = now[pair][1] if pair in now else base
        if abs(after - before) > 1e-12:
            out.append(TariffChange(pair[0], pair[1], before, after))
    out.sort(key=lambda c: (-abs(c.after - c.before), c.imposer, c.target))
    return out


def timeline_rows(run: RunData) -> list[TimelineRow]:
    """The scenario's steps in date order, for the timeline table."""
    tl = run.timeline.copy()
    keys = ["date", "step"] if "step" in tl.columns else ["date"]
    tl = tl.sort_values(keys, kind="stable")  # ISO dates sort lexically
    counts = tl.groupby("date").size()
    rows, seen = [], set()
    for r in tl.itertuples():
        date = str(r.date)
        parties = [p for p in str(getattr(r, "parties", "") or "").split(",") if p]
        source = getattr(r, "source", "")
        rows.append(TimelineRow(
            date=date, action=str(r.action), summary=str(r.summary), parties=parties,
            source="" if source is None or pd.isna(source) else str(source),
            priced=bool(getattr(r, "priced", True)), first_of_date=date not in seen,
            rows_on_date=int(counts[date])))
        seen.add(date)
    return rows


def headline(run: RunData, imposer_codes: list[str]) -> dict[str, Any]:
    """Headline numbers at the last date: how many lose, the extremes, the imposers."""
    econ = run.at("economies", run.last_date)
    w = econ.set_index("economy")["welfare_pct"].astype(float)
    out: dict[str, Any] = {"economies": len(w), "losers": int((w < -1e-9).sum()),
                           "gainers": int((w > 1e-9).sum())}
    if len(w):
        out["worst"] = (str(w.idxmin()), float(w.min()))
        out["best"] = (str(w.idxmax()), float(w.max()))
    cols = econ.set_index("economy")
    out["imposers"] = [
        (c, float(cols.loc[c, "welfare_pct"]),
         float(cols.loc[c, "price_index_pct"]) if "price_index_pct" in cols.columns else None)
        for c in imposer_codes if c in cols.index]
    return out


def parameter_rows(parameters: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(name, value, meaning)`` for each model parameter (meaning empty when unknown)."""
    return [(k, v, PARAMETER_MEANINGS.get(k.split(".")[0], "")) for k, v in flatten(parameters)]


def flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``(key, text)`` pairs of a nested JSON value, keys joined with dots."""
    if isinstance(value, dict):
        if value and all(not isinstance(v, dict | list) for v in value.values()) and prefix:
            return [(prefix, ", ".join(f"{k}: {_text(v)}" for k, v in value.items()))]
        out: list[tuple[str, str]] = []
        for k, v in value.items():
            out += flatten(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    return [(prefix, _text(value))]


def _text(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | dict):
        return json.dumps(v, default=str)
    return "" if v is None else str(v)

"""Summaries of a sweep: percentile bands per economy and the tornado ranking of parameters.

* :func:`bands`: for each economy and outcome, the 5th, 50th and 95th percentiles over the
  samples that solved (NumPy's default linear interpolation between order statistics,
  ``numpy.percentile(..., method="linear")``), with the number of samples;
* :func:`tornado`: for one outcome of one economy, how much each swept parameter moves it, by
  two measures: Spearman's rank correlation ρ between the parameter and the outcome across the
  samples, and the swing, the median outcome among the samples whose parameter lies in its top
  decile minus the median among those in its bottom decile (for a grid parameter: at its highest
  value minus at its lowest). Parameters are ranked by the absolute swing. Both measures are
  one-at-a-time readings of a joint sweep (Saltelli et al. 2008, *Global Sensitivity Analysis:
  The Primer*, ch. 1): with correlated or interacting parameters they are a first look, not a
  variance decomposition.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PERCENTILES", "bands", "tornado"]

PERCENTILES = (5.0, 50.0, 95.0)


def bands(economies: pd.DataFrame, columns: list[str] | tuple[str, ...],
          percentiles: tuple[float, ...] = PERCENTILES) -> pd.DataFrame:
    """Percentile bands of ``columns`` per economy.

    Args:
        economies: The ``sweep_economies`` table (``sample, economy`` and outcome columns).
        columns: Outcome columns.
        percentiles: Percentiles in [0, 100].

    Returns:
        One row per economy (in the order first seen): ``economy, samples`` and
        ``<col>_p5, <col>_p50, <col>_p95`` (named after the percentiles).
    """
    order = list(dict.fromkeys(economies["economy"]))
    grouped = economies.groupby("economy", sort=False)
    out = pd.DataFrame({"economy": order})
    out["samples"] = grouped.size().reindex(order).to_numpy()
    for col in columns:
        values = {e: g[col].to_numpy(dtype=float) for e, g in grouped}
        for q in percentiles:
            out[f"{col}_p{q:g}"] = [float(np.percentile(values[e], q)) for e in order]
    return out


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's ρ (average ranks for ties); NaN when either side is constant."""
    rx = pd.Series(x).rank().to_numpy()
    ry = pd.Series(y).rank().to_numpy()
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def tornado(samples: pd.DataFrame, economies: pd.DataFrame, columns: list[str],
            economy: str, outcome: str = "welfare_pct") -> pd.DataFrame:
    """How much each parameter moves ``outcome`` of ``economy`` (see the module docstring).

    Args:
        samples: The ``sweep_samples`` table (parameter values by column).
        economies: The ``sweep_economies`` table.
        columns: Parameter columns of ``samples``.
        economy: The economy.
        outcome: The outcome column.

    Returns:
        One row per parameter, largest absolute swing first: ``parameter, low, high``
        (parameter values bounding the bottom and top deciles), ``outcome_low,
        outcome_high`` (median outcome there), ``swing`` and ``spearman``.
    """
    y = economies.loc[economies["economy"] == economy, ["sample", outcome]]
    data = samples.merge(y, on="sample", how="inner")
    rows = []
    for col in columns:
        x = data[col].to_numpy(dtype=float)
        v = data[outcome].to_numpy(dtype=float)
        if len(x) == 0 or np.ptp(x) == 0:
            continue
        distinct = np.unique(x)
        if len(distinct) <= 10:
            lo_mask, hi_mask = x == distinct[0], x == distinct[-1]
            lo, hi = float(distinct[0]), float(distinct[-1])
        else:
            lo, hi = float(np.percentile(x, 10)), float(np.percentile(x, 90))
            lo_mask, hi_mask = x <= lo, x >= hi
        out_lo, out_hi = float(np.median(v[lo_mask])), float(np.median(v[hi_mask]))
        rows.append({"parameter": col, "low": lo, "high": hi, "outcome_low": out_lo,
                     "outcome_high": out_hi, "swing": out_hi - out_lo,
                     "spearman": _spearman(x, v)})
    frame = pd.DataFrame(rows, columns=["parameter", "low", "high", "outcome_low",
                                        "outcome_high", "swing", "spearman"])
    order = frame["swing"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)

"""Two runs compared over time, with the results in force on every date.

A run is solved only on the dates its trade policy changes; between them the results of the
last solved date are in force (before the first one, the baseline: every change is 0). Two
runs of the same history with one step removed are therefore solved on different dates, and
their difference at the *last* date can be nil while it was large for months (each date is a
separate static equilibrium, so an undone step leaves no trace). :func:`differences_over_time`
puts both runs on the union of their dates with the values in force, and
:func:`hidden_difference` says whether the last date hides a larger gap on an earlier one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["HiddenDifference", "differences_over_time", "hidden_difference"]


def _in_force(econ: pd.DataFrame, column: str, dates: list[str]) -> pd.DataFrame:
    wide = econ.pivot_table(index="date", columns="economy", values=column, aggfunc="first")
    return wide.reindex(dates).ffill().fillna(0.0)


def differences_over_time(econ_a: pd.DataFrame, econ_b: pd.DataFrame, column: str
                          ) -> pd.DataFrame:
    """B − A of ``column`` on every date of either run (dates × economies), each run at the
    values in force that day (0 before its first solved date)."""
    dates = sorted(set(econ_a["date"].astype(str)) | set(econ_b["date"].astype(str)))
    a = _in_force(econ_a.astype({"date": str}), column, dates)
    b = _in_force(econ_b.astype({"date": str}), column, dates)
    economies = sorted(set(a.columns) & set(b.columns))
    return b[economies] - a[economies]


@dataclass(frozen=True)
class HiddenDifference:
    """The largest gap of a column before the last date, against the largest at the last date.

    Attributes:
        column: The compared column.
        economy, date: Where the earlier gap is largest.
        earlier: That gap, B − A (percentage points).
        last: The largest |B − A| at the last date.
    """

    column: str
    economy: str
    date: str
    earlier: float
    last: float

    def sentence(self) -> str:
        """One line for the command line."""
        return (f"The last date hides differences on earlier ones: {self.column} differs by "
                f"{self.earlier:+.2f} points for {self.economy} on {self.date}, against at most "
                f"{self.last:.2f} at the last date (each date is a separate equilibrium; "
                "--all-dates compares every date).")


def hidden_difference(econ_a: pd.DataFrame, econ_b: pd.DataFrame, column: str, *,
                      threshold: float = 0.05) -> HiddenDifference | None:
    """The earlier gap of ``column`` when it exceeds the last date's largest gap by more than
    ``threshold`` percentage points (and by half again), else None."""
    diff = differences_over_time(econ_a, econ_b, column)
    if len(diff.index) < 2:
        return None
    last = float(diff.iloc[-1].abs().max())
    earlier = diff.iloc[:-1].abs()
    if earlier.empty or earlier.to_numpy().size == 0:
        return None
    stacked = earlier.stack()
    (date, economy) = stacked.idxmax()
    biggest = float(stacked.max())
    if biggest <= last + threshold or biggest <= 1.5 * last:
        return None
    return HiddenDifference(column=column, economy=str(economy), date=str(date),
                            earlier=float(diff.loc[date, economy]), last=last)

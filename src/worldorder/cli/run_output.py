"""What ``worldorder run`` prints about a stored run: the timeline (each step on its own date),
the imposers, gains and losses, corner solutions and what a date's result means."""

from __future__ import annotations

import textwrap
from typing import Any

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table

from worldorder.runs.imposers import rank_imposers

__all__ = ["STATIC_NOTE", "average_tariff", "shorten", "timeline_table"]

STATIC_NOTE = ("Each date is a separate static equilibrium relative to the baseline (the "
               "dataset's year) under the policies in force that day, not a path over time: "
               "a step that is later undone leaves no trace at the last date. Compare runs at "
               "every date (worldorder runs compare) to see differences on the way.")


def shorten(text: str, width: int) -> str:
    """``text`` cut at a word boundary to at most ``width`` characters (``…`` when cut)."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    # a hyphenated word (e.g. "el-Sheikh") is kept whole or left out, never cut after its hyphen
    return textwrap.shorten(text, width=max(width, 8), placeholder=" …", break_on_hyphens=False)


def average_tariff(flows: pd.DataFrame, importer: str) -> pd.Series:
    """Trade-weighted average tariff of ``importer`` by date (baseline import weights)."""
    f = flows[flows["importer"] == importer]
    num = (f["value_before"] * f["tariff_after"]).groupby(f["date"]).sum()
    return num / f.groupby("date")["value_before"].sum()


def timeline_table(console: Console, rec: Any, imposer: str,
                   lines_per_action: int = 2) -> Table:
    """Every step of a dated run on its own date, one row per action, with the ``imposer``'s
    average tariff and welfare and world trade at the dates that were solved.

    A date whose actions the trade model does not price was not solved: its economic columns
    are blank (the results in force are those of the previous solved date)."""
    econ = rec.economies()
    flows = rec.flows()
    tl = rec.timeline().sort_values(["date", "step"], kind="stable")
    solved = set(rec.manifest["dates"])
    avg = average_tariff(flows, imposer)
    trade = flows.groupby("date")[["value_before", "value_after"]].sum()
    welfare = econ[econ["economy"] == imposer].set_index("date")["welfare_pct"]
    numbers = [f"{imposer}\ntariff", f"{imposer}\nwelfare", "World\ntrade"]
    num_width = sum(max(len(imposer), 7) + 1 for _ in numbers)
    text_width = max(console.width - 12 - num_width, 24)
    t = Table(title=f"Timeline ({imposer}: largest imposer by added duties; changes from the "
              "baseline)", title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
              pad_edge=False, collapse_padding=True)
    t.add_column("Date", no_wrap=True)
    t.add_column("Action", overflow="fold", max_width=text_width)
    for head in numbers:
        t.add_column(head, justify="right", no_wrap=True)
    for date, acts in tl.groupby("date", sort=True):
        date = str(date)
        first = True
        for summary in acts["summary"].astype(str):
            cells = ["", "", ""]
            if first and date in solved:
                tr = trade.loc[date]
                cells = [f"{100 * avg.get(date, float('nan')):.1f}%",
                         f"{welfare.get(date, float('nan')):+.2f}",
                         f"{100 * (tr['value_after'] / tr['value_before'] - 1):+.2f}%"]
            t.add_row(date if first else "", shorten(summary, text_width * lines_per_action),
                      *cells)
            first = False
    return t


def imposers_at(rec: Any, date: str, limit: int = 6) -> list[str]:
    """The imposers that matter at ``date`` (by added duties on baseline trade)."""
    return rank_imposers(rec.flows(), date)["imposer"].head(limit).tolist()

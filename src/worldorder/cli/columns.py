"""Outcome columns shown in the command line's tables, and the economy table that fits the
terminal (least important columns left out first; ``--wide`` shows them all)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from worldorder.cli.console import fit_table

__all__ = ["COLUMNS", "DROP_ORDER", "UNITS_NOTE", "economy_table", "fmt", "with_derived"]

COLUMNS: list[tuple[str, str]] = [
    ("welfare_pct", "Welfare"),
    ("real_wage_pct", "Real wage"),
    ("employment_pct", "Employ."),
    ("price_index_pct", "Prices"),
    ("exports_to_gdp_pct", "Exp/GDP"),
    ("imports_to_gdp_pct", "Imp/GDP"),
    ("deficit_change_pp_gdp", "Deficit"),
    ("tariff_revenue_pct_gdp", "Tariff rev"),
]
DROP_ORDER = ["name", "imports_to_gdp_pct", "tariff_revenue_pct_gdp", "employment_pct",
              "exports_to_gdp_pct", "deficit_change_pp_gdp"]
"""Columns left out first when a table does not fit the terminal."""

UNITS_NOTE = ("% changes from the baseline; Exp/GDP, Imp/GDP: % change of the ratio; "
              "Deficit: change of imports minus exports in points of GDP; Tariff rev: % of GDP "
              "after")


def fmt(x: Any, digits: int = 2, sign: bool = False) -> str:
    """A number as text (``–`` for missing)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:+,.{digits}f}" if sign else f"{x:,.{digits}f}"


def with_derived(econ: pd.DataFrame) -> pd.DataFrame:
    """``econ`` with ``deficit_change_pp_gdp`` (derived from the ratios for runs made before the
    column was recorded: D/Y after = imports/Y − exports/Y, before = after/(1 + change))."""
    if "deficit_change_pp_gdp" in econ.columns or "imports_to_gdp_after" not in econ.columns:
        return econ
    imp1, exp1 = econ["imports_to_gdp_after"], econ["exports_to_gdp_after"]
    imp0 = imp1 / (1.0 + econ["imports_to_gdp_pct"] / 100.0)
    exp0 = exp1 / (1.0 + econ["exports_to_gdp_pct"] / 100.0)
    return econ.assign(deficit_change_pp_gdp=(imp1 - exp1) - (imp0 - exp0))


def economy_table(console: Console, title: str, rows: pd.DataFrame,
                  columns: list[tuple[str, str]] | None = None) -> tuple[Table, list[str]]:
    """A table of economies (code, name, outcome columns) that fits ``console``.

    Returns the table and the labels of the columns left out for lack of width."""
    rows = with_derived(rows)
    wanted = [(c, label) for c, label in (columns or COLUMNS) if c in rows.columns]
    labels = dict(wanted) | {"name": "Name"}
    with_names = bool((rows["name"].astype(str) != rows["economy"].astype(str)).any())

    # every cell rendered once, as the table renders a text cell when printed on `console`
    # (markup and emoji as the console's; a column does not highlight), however many times
    # fit_table builds and measures the table
    def render(cell: str) -> Text:
        return console.render_str(cell, highlight=False)

    body: list[tuple[str, dict[str, Text]]] = []
    for r in rows.to_dict("records"):
        welfare = r["welfare_pct"]
        cells = {"economy": render(str(r["economy"])), "name": render(str(r["name"]))}
        cells |= {c: render(fmt(r[c], 2, sign=c != "tariff_revenue_pct_gdp")) for c, _ in wanted}
        body.append(("green" if welfare > 0 else "red" if welfare < 0 else "", cells))

    def build(kept: list[str]) -> Table:
        t = Table(title=title, title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                  pad_edge=False, collapse_padding=True)
        t.add_column("Code", no_wrap=True)
        if "name" in kept:
            t.add_column("Name", no_wrap=True, max_width=16, overflow="ellipsis")
        cols = [c for c, _ in wanted if c in kept]
        for c in cols:
            t.add_column(labels[c], justify="right", no_wrap=True)
        for style, cells in body:
            t.add_row(cells["economy"], *([cells["name"]] if "name" in kept else []),
                      *[cells[c] for c in cols], style=style)
        return t

    all_cols = [*(["name"] if with_names else []), *[c for c, _ in wanted]]
    table, dropped = fit_table(console, build, all_cols, DROP_ORDER)
    return table, [labels[c] for c in dropped if c != "name"]

"""The Deficit column: the change of imports minus exports in points of GDP."""

from __future__ import annotations

import numpy as np
import pytest

from tests.builders import random_world
from worldorder.cli.columns import with_derived
from worldorder.trade.counterfactual import model_baseline, run_counterfactual
from worldorder.trade.params import resolve_params


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_deficit_in_points_of_gdp_is_the_identity(seed: int) -> None:
    world = random_world(7, seed)
    params = resolve_params(world, "ignatenko2025")
    t1 = world.tariffs.copy()
    t1[:, 0] += 0.25  # economy 0 raises a tariff on everyone
    np.fill_diagonal(t1, 0.0)
    out = run_counterfactual(world, params, t1)
    econ = out.economies
    base = model_baseline(world, params)
    X0 = base.X.copy()
    np.fill_diagonal(X0, 0.0)
    d0 = 100 * (X0.sum(axis=0) - X0.sum(axis=1)) / base.Y
    d1 = econ["imports_to_gdp_after"] - econ["exports_to_gdp_after"]
    np.testing.assert_allclose(econ["deficit_change_pp_gdp"], d1 - d0, atol=1e-9)
    # runs stored before the column existed get it back from the ratios
    derived = with_derived(econ.drop(columns="deficit_change_pp_gdp"))
    np.testing.assert_allclose(derived["deficit_change_pp_gdp"], econ["deficit_change_pp_gdp"],
                               atol=1e-9)
    # and it stays finite where the change relative to the deficit's own size explodes
    assert np.isfinite(econ["deficit_change_pp_gdp"]).all()


@pytest.mark.parametrize("width", [40, 80, 400])
def test_economy_table_prints_its_cells_as_a_table_of_strings_would(width: int) -> None:
    # cells are rendered once (for fit_table's measurements); the printout is the one of a
    # table built from the strings (markup, emoji, no highlighting), styles included
    import io

    import pandas as pd
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from worldorder.cli.columns import COLUMNS, economy_table, fmt

    rows = pd.DataFrame({
        "economy": ["AAA", "BBB", "CCC"],
        "name": ["[bold]Bold[/bold] land", "Smile :smile: isle", "Côte d'Ivoire (x) [1]"],
        "welfare_pct": [1.5, -2.25, 0.0], "real_wage_pct": [np.nan, 1e6, -0.001],
        "tariff_revenue_pct_gdp": [0.5, 1.0, 2.0]})

    def printed(table: Table) -> str:
        con = Console(width=width, force_terminal=True, color_system="truecolor", record=True,
                      file=io.StringIO())
        con.print(table)
        return con.export_text(styles=True)

    con = Console(width=width, force_terminal=True, color_system="truecolor", file=io.StringIO())
    table, gone = economy_table(con, "T", rows)
    labels = dict(COLUMNS)
    shown = [c for c in ("welfare_pct", "real_wage_pct", "tariff_revenue_pct_gdp")
             if labels[c] not in gone]
    names = [c.header for c in table.columns][1:2] == ["Name"]
    want = Table(title="T", title_justify="left", header_style="bold", box=box.SIMPLE_HEAD,
                 pad_edge=False, collapse_padding=True)
    want.add_column("Code", no_wrap=True)
    if names:
        want.add_column("Name", no_wrap=True, max_width=16, overflow="ellipsis")
    for c in shown:
        want.add_column(labels[c], justify="right", no_wrap=True)
    for _, r in rows.iterrows():
        style = "green" if r["welfare_pct"] > 0 else "red" if r["welfare_pct"] < 0 else ""
        want.add_row(r["economy"], *([r["name"]] if names else []),
                     *[fmt(r[c], 2, sign=c != "tariff_revenue_pct_gdp") for c in shown],
                     style=style)
    assert printed(table) == printed(want)
    assert bool(gone) == (width == 40)  # 40 columns are too few for every column

"""The report of a sweep run: bands on the map and bars, the tornado chart, the band table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from tests.builders import mini_world, sweep_scenario
from worldorder.reports.render import render_report
from worldorder.reports.run import load_run
from worldorder.reports.sweep import sweep_figures
from worldorder.sweeps.design import Design
from worldorder.sweeps.run import ECONOMIES, execute_sweep, read_sweep
from worldorder.sweeps.spec import parse_param


def test_sweep_report_shows_bands_and_tornado(tmp_path: Path) -> None:
    design = Design(params=(parse_param("epsilon=uniform(3,8)"),
                            parse_param("kappa=grid(0.2,0.8)")), per_point=15, seed=1)
    rec = execute_sweep(sweep_scenario(), design, world=mini_world(), runs_dir=tmp_path)
    econ = read_sweep(rec.path, ECONOMIES)
    usa = econ.loc[econ["economy"] == "USA", "welfare_pct"].to_numpy()

    figs = sweep_figures(load_run(rec.path), ["USA", "CHN"])
    assert set(figs) == {"sweep-map", "sweep-bars", "sweep-tornado"}
    bars = figs["sweep-bars"].data[0]
    k = list(bars.y).index("USA")
    assert bars.x[k] == np.percentile(usa, 50)
    assert bars.x[k] + bars.error_x.array[k] == np.percentile(usa, 95)
    assert bars.x[k] - bars.error_x.arrayminus[k] == np.percentile(usa, 5)
    buttons = figs["sweep-map"].layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == ["5th percentile", "median", "95th percentile"]
    tornado = figs["sweep-tornado"]
    assert {t.y[-1].split(" ")[0] for t in tornado.data} == {"epsilon"}  # largest swing on top

    out = render_report(rec.path, tmp_path / "r.html", economies=["USA", "CHN"])
    html = out.read_text(encoding="utf-8")
    assert "Uncertainty: bands over the sweep" in html
    assert "30 samples of epsilon=uniform(3,8); kappa=grid(0.2,0.8)" in html
    row = re.search(r"<td>USA</td>(.*?)</tr>", html)
    assert row is not None
    cells = re.findall(r"<td class=num>([^<]+)</td>", row.group(1))
    assert cells == [f"{np.percentile(usa, q):+.2f}%" for q in (5, 50, 95)]
    for key in ("fig-sweep-map", "fig-sweep-bars", "fig-sweep-tornado"):
        assert f'id="{key}"' in html
        spec = re.search(rf'id="{key}">(.*?)</script>', html, re.S)
        assert spec is not None and json.loads(spec.group(1))["data"]

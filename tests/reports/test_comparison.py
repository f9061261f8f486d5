"""The comparison of several runs: the numbers, the page and the command line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.builders import MINI_ID, MIRROR_ID, STRATEGY_ID, outside_plotly_js
from worldorder.errors import WorldorderError
from worldorder.reports import ReportError, comparison, load_run, render_comparison
from worldorder.reports.comparison import load_comparison
from worldorder.reports.comparison_figures import comparison_figures


def _last(run_dir: Path, code: str) -> float:
    run = load_run(run_dir)
    return float(run.at("economies", run.last_date).set_index("economy").loc[code,
                                                                               "welfare_pct"])


def test_numbers_and_the_best_run(strategy_run: Path, mirror_run: Path, mini_run: Path) -> None:
    comp = load_comparison([strategy_run, mirror_run, mini_run])
    assert comp.labels == ["mini-strategy", "mini-mirror", "mini"]
    # default: the parties of the steps in which the runs differ (the EU by its members); the
    # shared US tariff names only the US
    assert comp.chosen_by == "parties"
    assert set(comp.economies) == {"USA", "JPN", "DEU", "FRA", "CHN", "CAN", "VNM"}
    means = comp.welfare.mean(axis=1).tolist()
    assert means == sorted(means, reverse=True)  # best off on average first
    for label, folder in zip(comp.labels, (strategy_run, mirror_run, mini_run), strict=True):
        for code in comp.economies:
            assert comp.welfare.loc[code, label] == pytest.approx(_last(folder, code))
    for code, labels in comp.best.items():
        row = comp.welfare.loc[code]
        assert labels == [row.idxmax()]


def test_economies_and_labels_given(strategy_run: Path, mirror_run: Path) -> None:
    comp = load_comparison([strategy_run, mirror_run], labels=["war", "mirror"],
                           economies=["EU", "USA"])
    assert comp.labels == ["war", "mirror"] and comp.chosen_by == "asked"
    assert set(comp.economies) == {"DEU", "FRA", "USA"}
    assert list(comp.welfare.columns) == ["war", "mirror"]
    # the same scenario twice: numbered labels
    assert load_comparison([mirror_run, mirror_run]).labels == ["mini-mirror (1)",
                                                                 "mini-mirror (2)"]


def test_at_most_so_many_parties_else_the_largest_changes(
        tmp_path: Path, world_run: Path, mini_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same steps in both runs: every party counts (the US and its exempt neighbours)
    comp = load_comparison([world_run, world_run])
    assert comp.chosen_by == "parties" and set(comp.economies) == {"USA", "CAN", "MEX"}
    # at most MAX_PARTIES, the largest changes first
    monkeypatch.setattr(comparison, "MAX_PARTIES", 2)
    comp = load_comparison([world_run, world_run])
    assert len(comp.economies) == 2 and comp.candidates == 3
    size = comp.welfare.iloc[:, 0].abs()
    dropped = ({"USA", "CAN", "MEX"} - set(comp.economies)).pop()
    assert abs(_last(world_run, dropped)) <= size.min()
    # no step names a party: the largest changes (all eight economies of the mini world)
    folder = shutil.copytree(mini_run, tmp_path / "r")
    tl = pd.read_parquet(folder / "timeline.parquet").assign(parties="")
    tl.to_parquet(folder / "timeline.parquet", index=False)
    comp = load_comparison([folder, folder])
    assert comp.chosen_by == "largest" and len(comp.economies) == 8


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"labels": ["a"]}, "labels: 1 given for 2 runs"),
    ({"labels": ["a", "a"]}, "each run needs its own non-empty label"),
    ({"economies": ["USA", "XXX"]}, "economy 'XXX' is in none of the runs"),
])
def test_errors(tmp_path: Path, strategy_run: Path, mirror_run: Path, kwargs,
                message: str) -> None:
    with pytest.raises(ReportError, match=re.escape(message)) as err:
        render_comparison([strategy_run, mirror_run], tmp_path / "c.html", **kwargs)
    assert "\n" not in str(err.value)
    with pytest.raises(ReportError, match="at least two runs"):
        render_comparison([strategy_run], tmp_path / "c.html")


def test_figures(strategy_run: Path, mirror_run: Path, mini_run: Path) -> None:
    comp = load_comparison([strategy_run, mirror_run, mini_run])
    figs = comparison_figures(comp)
    assert list(figs) == ["bars", "map-1", "map-2", "map-3"]
    bars = figs["bars"]
    assert [t.name for t in bars.data] == ["mini", "mini-mirror", "mini-strategy"]
    assert all(len(t.x) == len(comp.economies) for t in bars.data)
    # one colour scale for every map, and a single date each (no slider)
    bounds = {f.data[-1].zmax for k, f in figs.items() if k.startswith("map")}
    assert len(bounds) == 1
    assert all(not f.frames and not f.layout.sliders for k, f in figs.items() if k != "bars")


def test_page_is_one_offline_file(tmp_path: Path, strategy_run: Path, mirror_run: Path,
                                  mini_run: Path) -> None:
    out = render_comparison([strategy_run, mirror_run, mini_run], tmp_path / "c.html")
    text = out.read_text(encoding="utf-8")
    rest = outside_plotly_js(text)
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<iframe|<img\b|@import|url\(", rest)
    assert "http://" not in rest and "https://" not in rest
    assert rest.count('"type":"FeatureCollection"') == 1  # the shapes once, for three maps
    assert re.findall(r'data-figure="([^"]+)"', text) == [
        "fig-bars", "fig-map-1", "fig-map-2", "fig-map-3"]
    for needle in ("worldorder comparison", "<h1>mini-strategy, mini-mirror, mini</h1>",
                   "answered by a coalition of Japan and the EU", STRATEGY_ID, MIRROR_ID,
                   MINI_ID, "Best run for", "Welfare maps", "<td>JPN</td>"):
        assert needle in text, needle
    # one highlighted cell per economy (no ties here)
    comp = load_comparison([strategy_run, mirror_run, mini_run])
    assert text.count('class="num best"') == len(comp.economies)


def test_cli_compare(tmp_path: Path, runs_dir: Path, strategy_run: Path, mirror_run: Path,
                     cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["report", "mini-strategy", "--compare", "mini-mirror",
                                   "--runs-dir", str(runs_dir)])
    assert res.exit_code == 0, res.output
    path = Path("reports") / f"compare-{STRATEGY_ID}.html"
    assert f"Wrote {path}" in res.output and "comparing 2 runs" in res.output
    assert (tmp_path / path).is_file()
    res = CliRunner().invoke(cli, ["report", "mini-strategy", "--compare", "mini-mirror",
                                   "--runs-dir", str(runs_dir), "--format", "png"])
    assert isinstance(res.exception, WorldorderError)
    assert "--compare writes one HTML page" in str(res.exception)

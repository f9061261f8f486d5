"""The report's figures and tables, checked on their data (no browser)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from worldorder.reports import ReportError, load_run
from worldorder.reports import figures as fg
from worldorder.reports.geo import country_names
from worldorder.reports.maps import welfare_map
from worldorder.reports.tables import headline, tariff_changes, timeline_rows


def _data_trace(fig):
    return next(t for t in fig.data if t.name == "welfare_pct")


def test_map_shades_every_country_with_its_economy(world_run: Path) -> None:
    run = load_run(world_run)
    fig = welfare_map(run)
    assert len(fig.data) == 1  # ROW covers every country: no grey layer
    trace = _data_trace(fig)
    locs = list(trace.locations)
    assert len(locs) == len(set(locs)) == len(country_names()) == 176
    welfare = run.economies.set_index("economy")["welfare_pct"]
    z = dict(zip(locs, trace.z, strict=True))
    assert z["DEU"] == pytest.approx(welfare["DEU"], abs=1e-4)
    assert z["BGR"] == pytest.approx(welfare["EU-REST"], abs=1e-4)  # a constituent
    assert z["KEN"] == pytest.approx(welfare["ROW"], abs=1e-4)  # every other country
    # no base map from plotly (it would be downloaded): the shapes are the trace's own
    geo = fig.layout.geo
    assert geo.visible is False and not geo.showland and not geo.showcoastlines
    assert trace.geojson["features"] and trace.featureidkey in (None, "id")
    assert trace.zmid == 0 and trace.zmin == -trace.zmax
    assert not fig.frames and not fig.layout.sliders


def test_map_without_row_draws_other_countries_grey(mini_run: Path) -> None:
    fig = welfare_map(load_run(mini_run))
    grey, data = fig.data
    assert len(data.locations) == 8 and set(data.locations) >= {"USA", "CHN", "VNM"}
    assert len(grey.locations) + len(data.locations) == 176
    assert not set(grey.locations) & set(data.locations)


@pytest.mark.parametrize("fixture", ["dated_run", "copied_run"])
def test_map_has_a_frame_and_a_slider_step_per_date(fixture: str, request) -> None:
    run = load_run(request.getfixturevalue(fixture))
    fig = welfare_map(run)
    assert [f.name for f in fig.frames] == run.dates
    steps = fig.layout.sliders[0].steps
    assert [s.label for s in steps] == run.dates
    assert fig.layout.sliders[0].active == len(run.dates) - 1  # opens on the last date
    data = _data_trace(fig)
    assert list(fig.frames[-1].data[0].z) == list(data.z)
    assert list(fig.frames[0].data[0].z) != list(data.z)
    # one colour scale for every date
    every = np.abs(run.economies["welfare_pct"]).max()
    assert 0 < data.zmax <= every + 1e-9


def test_gains_losses_marks_the_extremes(world_run: Path) -> None:
    run = load_run(world_run)
    fig = fg.gains_losses_figure(run, top=5)
    bars = fig.data[0]
    assert len(bars.x) == 10 and list(bars.x) == sorted(bars.x)
    w = run.economies["welfare_pct"]
    assert bars.x[0] == pytest.approx(w.min()) and bars.x[-1] == pytest.approx(w.max())


def test_chosen_economies_default_and_given(world_run: Path) -> None:
    run = load_run(world_run)
    chosen = fg.chosen_economies(run)
    assert chosen[0] == "USA" and len(chosen) == 6 and "ROW" not in chosen
    assert fg.chosen_economies(run, ["JPN", "MEX"]) == ["JPN", "MEX"]
    with pytest.raises(ReportError, match="'XXX' is not in run"):
        fg.chosen_economies(run, ["XXX"])
    fig = fg.indicators_figure(run, ["JPN", "MEX"])
    assert len(fig.data) == 4 and all(len(t.x) == 2 for t in fig.data)


def test_import_shares_before_and_after(world_run: Path) -> None:
    run = load_run(world_run)
    shares = fg.import_shares(run, "USA")
    assert shares["before"].sum() == pytest.approx(100.0)
    assert shares["after"].sum() == pytest.approx(100.0)
    top = shares.set_index("partner")
    # the exempt neighbours gain shares, China loses them: trade diversion
    assert top.loc["MEX", "after"] > top.loc["MEX", "before"]
    assert top.loc["CHN", "after"] < top.loc["CHN", "before"]
    assert fg.imposers(run) == ["USA"]
    assert len(fg.trade_figure(run, ["USA"]).data) == 2


def test_tariff_changes_between_dates(dated_run: Path) -> None:
    run = load_run(dated_run)
    first = tariff_changes(run, "2025-02-04")
    assert [(c.imposer, c.target) for c in first] == [("USA", "CHN")]
    assert first[0].after - first[0].before == pytest.approx(0.10)
    deal = tariff_changes(run, "2025-07-22")
    assert [(c.imposer, c.target, round(c.after, 6)) for c in deal] == [("USA", "JPN", 0.15)]
    assert len(tariff_changes(run, "2025-04-02")) > 40
    assert tariff_changes(run, "2025-01-20") == []  # not a solved date


def test_timeline_rows_in_date_order(dated_run: Path) -> None:
    rows = timeline_rows(load_run(dated_run))
    assert [r.date for r in rows] == sorted(r.date for r in rows)
    assert rows[0].action == "withdraw" and not rows[0].priced and rows[0].source == "EO 14155"
    same_day = [r for r in rows if r.date == "2025-04-02"]
    assert [r.first_of_date for r in same_day] == [True, False]
    assert same_day[0].rows_on_date == 2


def test_headline(world_run: Path) -> None:
    h = headline(load_run(world_run), ["USA"])
    assert h["losers"] + h["gainers"] <= h["economies"] == 47
    assert h["imposers"][0][0] == "USA" and h["imposers"][0][2] > 0  # US prices rise


def test_over_time_is_on_a_time_axis_with_full_labels(dated_run: Path) -> None:
    run = load_run(dated_run)
    fig = fg.over_time_figure(run, ["USA", "EU-REST"])
    assert fig.layout.xaxis.type == "date" and fig.layout.xaxis.tickformat == "%-d %b %Y"
    assert all(t.line.shape == "hv" for t in fig.data)  # results hold until the next date
    names = {t.name for t in fig.data}
    assert "Rest of the European Union (17 member states) (EU-REST)" in names  # not "Unio…"


def test_imposers_are_ranked_by_added_duties(world_run: Path) -> None:
    run = load_run(world_run)
    assert fg.imposers(run) == ["USA"]  # the only economy whose tariffs rose


def test_png_figures_carry_scenario_and_date(tmp_path: Path, dated_run: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import worldorder.reports.png as png
    from worldorder.reports import render_png

    titles: dict[str, str] = {}

    def fake(fig, out, **_):
        titles[Path(out).name] = fig.layout.title.text
        Path(out).write_bytes(b"")
        return Path(out)

    monkeypatch.setattr(png, "figure_png", fake)
    render_png(dated_run, tmp_path / "d.png")
    assert set(titles) == {"d-map.png", "d-gains.png", "d-indicators.png", "d-over-time.png",
                           "d-trade.png"}
    for name, title in titles.items():
        when = "2025-02-04 to 2025-07-22" if name == "d-over-time.png" else "2025-07-22"
        assert f"us-2025-dated, {when}" in title, (name, title)

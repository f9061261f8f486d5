"""The report's "order over time" section for a run with agents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import write_agents_scenario, write_run
from worldorder.reports import render_report
from worldorder.scenarios import simulate_timeline


def test_report_shows_the_agents_and_their_choices(tmp_path: Path, mini_dataset: Path) -> None:
    res = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset))
    folder = write_run(res, tmp_path / "run", "20260101T000000Z-agents-test-00000000")
    page = render_report(folder, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "The order over time: who chose what, and why" in page
    assert 'data-figure="fig-agents"' in page and 'id="fig-agents"' in page
    assert "america_first" in page and "answered in kind" in page
    # the order beside welfare: index, legitimacy, security, blocs
    assert "The order beside welfare" in page and 'id="fig-agents-order"' in page
    for title in ("Rules-based-order index", "Legitimacy of the great powers",
                  "Security: capability against threat", "Blocs: shares of world GDP"):
        assert title in page


def test_bloc_shares_add_up_by_date(tmp_path: Path, mini_dataset: Path) -> None:
    from worldorder.reports.agents import bloc_shares
    from worldorder.reports.run import load_run

    res = simulate_timeline(write_agents_scenario(tmp_path, mini_dataset))
    run = load_run(write_run(res, tmp_path / "run", "20260101T000000Z-agents-test-00000001"))
    b = bloc_shares(run)
    assert set(b["bloc"]) == {"leaning to the US", "hedging", "leaning to China"}
    sums = b.groupby("date")["share"].sum()
    assert ((sums - 1.0).abs() < 1e-12).all()
    al = res.tables["alignment"]
    last = al[(al["date"] == al["date"].max()) & ~al["economy"].isin(["USA", "CHN"])]
    power = res.tables["security_power"]
    gdp = power[power["date"] == al["date"].max()].set_index("economy")["gdp"]
    w = gdp.reindex(last["economy"]).to_numpy()
    us = float(w[last["position"].to_numpy() > 0.3].sum() / w.sum())
    got = b[(b["date"] == al["date"].max()) & (b["bloc"] == "leaning to the US")]["share"]
    assert float(got.iloc[0]) == pytest.approx(us, abs=1e-12)


def test_no_section_without_agents(tmp_path: Path, mini_dataset: Path) -> None:
    path = write_agents_scenario(tmp_path, mini_dataset)
    path.write_text(path.read_text().split("layers:")[0] + "steps:\n  - date: 2025-06-01\n"
                    "    tariff: {by: USA, on: [VNM], rate: 0.2}\n")
    folder = write_run(simulate_timeline(path), tmp_path / "run", "20260101T000000Z-x-0")
    page = render_report(folder, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "The order over time" not in page

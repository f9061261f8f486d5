"""The report's security section: its figures follow the run's tables, and a run without them
has no section."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from worldorder.reports.html import page
from worldorder.reports.run import load_run
from worldorder.reports.security import legitimacy_with, security_figures


def test_a_dated_run_on_world_2024_has_every_security_figure(dated_run: Path) -> None:
    run = load_run(dated_run)
    figs = security_figures(run)
    # no defence pledge in the scenario: no spending paths
    assert set(figs) == {"sec-polarity", "sec-regions", "sec-network", "sec-alignment",
                         "sec-order"}
    html = page(run)
    assert 'id="security"' in html and "The alliance network" in html
    leg = legitimacy_with(run, partners=("EU", "JPN"))
    assert set(leg["partner"]) == {"EU", "JPN"}
    assert (leg["R"].between(0, 1)).all()
    # the EU's legitimacy is a GDP-weighted mean of its members'
    first = leg[leg["date"] == leg["date"].max()].set_index("partner")["R"]
    members, _ = run.expand(["EU"])
    rows = run.extra["legitimacy"]
    rows = rows[(rows["power"] == "USA") & (rows["date"] == leg["date"].max())
                & rows["economy"].isin(members)]["legitimacy"]
    assert rows.min() - 1e-12 <= first["EU"] <= rows.max() + 1e-12


def test_a_run_without_the_security_tables_has_no_section(dated_run: Path) -> None:
    run = load_run(dated_run)
    bare = replace(run, extra={k: v for k, v in run.extra.items()
                               if k not in {"security_polarity", "offshore", "alliance_network",
                                            "defense_paths", "alignment", "order_index",
                                            "legitimacy"}})
    assert security_figures(bare) == {}
    assert 'id="security"' not in page(bare)

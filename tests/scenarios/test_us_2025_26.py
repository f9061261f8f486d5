"""The 2025 record carried into 2026 (us-2025-26, extends us-2025)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from worldorder import load_scenario
from worldorder.scenarios.timeline import TimelineResult, simulate_timeline

NAME = "us-2025-26"
RULING = "2026-02-24"


@pytest.fixture(scope="module")
def run() -> TimelineResult:
    return simulate_timeline(NAME)


def additional(run: TimelineResult, date: str, importer: str, exporter: str) -> float:
    w = run.world
    j, i = w.index(exporter), w.index(importer)
    return float(run.tariff_history[date][j, i] - w.tariffs[j, i])


def test_extends_the_2025_record_with_dated_sourced_2026_steps() -> None:
    sc, base = load_scenario(NAME), load_scenario("us-2025")
    assert sc.description and "unverified" not in sc.name
    dates = [st.date for st in sc.steps]
    assert dates == sorted(dates)
    ids = [st.id for st in sc.steps]
    assert all(ids) and len(set(ids)) == len(ids)
    inherited = {st.id for st in base.steps}
    assert inherited <= set(ids)
    new = [st for st in sc.steps if st.id not in inherited]
    assert all(st.source.strip() and st.note.strip() for st in new)
    # 2026 events, and the 2025 cuts to democracy promotion missing from us-2025
    cuts = {"ned-funds-withheld", "usagm-statutory-minimum", "voa-rferl-rfa-grants"}
    assert {st.id for st in new if st.date < dt.date(2026, 1, 1)} == cuts
    assert {"venezuela-operation", "india-framework", "ieepa-ruling-section-122"} <= set(ids)
    # the facts marked unverified stay marked
    venezuela = next(st for st in new if st.id == "venezuela-operation")
    assert "unverified" in venezuela.note


def test_runs_and_the_ruling_ends_the_ieepa_duties(run: TimelineResult) -> None:
    assert run.dates == sorted(run.dates) and run.dates[-1] == RULING
    econ = run.last.economies
    assert np.isfinite(econ["welfare_pct"]).all() and len(econ) == run.world.n
    # India: 50% statutory (33.5% trade-weighted) -> 18% reciprocal -> the 10% surcharge
    assert additional(run, "2025-12-04", "USA", "IND") == pytest.approx(0.3352, abs=1e-4)
    assert additional(run, "2026-02-07", "USA", "IND") == pytest.approx(0.1320, abs=1e-4)
    assert additional(run, RULING, "USA", "IND") == pytest.approx(0.0812, abs=1e-4)
    # China: fentanyl 10% + reciprocal 10% go; 10% x covered share + Section 232 remain
    assert additional(run, RULING, "USA", "CHN") == pytest.approx(0.0865, abs=1e-4)
    # Brazil's 40% goes; China's retaliation and Canada's stay as they were
    assert additional(run, RULING, "USA", "BRA") < additional(run, "2025-12-04", "USA", "BRA")
    for imposer in ("CHN", "CAN"):
        assert additional(run, RULING, imposer, "USA") == \
            additional(run, "2025-12-04", imposer, "USA")
    avg = run.average_tariffs(["USA"]).set_index("date")["average_tariff"]
    assert avg[RULING] < avg["2026-02-07"] < avg["2025-12-04"]


def test_the_venezuela_operation_and_the_2025_cuts_are_recorded(run: TimelineResult) -> None:
    strikes = [e for e in run.political.events if e.kind == "strike"]
    assert any("VEN" in e.others for e in strikes)
    programs = " ".join(a.program for a in run.political.aid)
    for name in ("USAID", "National Endowment for Democracy", "RFE/RL", "VOA"):
        assert name in programs

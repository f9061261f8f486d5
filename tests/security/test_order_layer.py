"""The ``order`` layer records the order indices and legitimacy on every date, as the models
compute them from a finished record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.builders import bundled_record as record
from worldorder.errors import WorldorderError
from worldorder.registry import LAYERS
from worldorder.scenarios.timeline import TimelineResult, simulate_timeline
from worldorder.security.alignment import aid_change
from worldorder.security.institutions import RulesBasedOrder
from worldorder.security.legitimacy import Legitimacy


@pytest.fixture(scope="module")
def run() -> TimelineResult:
    return record("us-2025-26")


def test_the_layer_is_registered_and_records_every_date(run: TimelineResult) -> None:
    assert "order" in LAYERS
    dates = list(run.tariff_history)
    assert list(run.tables["order_index"]["date"]) == dates
    leg = run.tables["legitimacy"]
    assert set(leg["date"]) == set(dates) and set(leg["power"]) == {"USA", "CHN"}


def test_the_layer_agrees_with_the_models(run: TimelineResult) -> None:
    layer = run.tables["order_index"].set_index("date")
    model = RulesBasedOrder().compute(run).set_index("date")
    common = [d for d in layer.index if d in model.index]
    cols = ["multilateralism", "mfn", "non_coercion", "institutions_intact", "index"]
    assert np.allclose(layer.loc[common, cols].to_numpy(float),
                       model.loc[common, cols].to_numpy(float), atol=1e-12)
    leg = run.tables["legitimacy"]
    us = leg[leg["power"] == "USA"].set_index(["date", "economy"])["legitimacy"]
    ref = Legitimacy().compute(run, ["USA"])
    ref = ref[ref["date"] != "baseline"].set_index(["date", "economy"])["R"]
    assert np.allclose(us.loc[ref.index].to_numpy(), ref.to_numpy(), atol=1e-12)


def test_layer_parameters_from_the_scenario(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: t\nextends: liberation-day-2025\n"
                 "layers:\n  order: {powers: [USA], a: 1.0, tau_days: 0.000001}\n")
    run = simulate_timeline(f)
    leg = run.tables["legitimacy"]
    assert set(leg["power"]) == {"USA"}
    # no memory: R = exp(-a B) (no exits or strikes in this scenario)
    assert np.allclose(leg["legitimacy"], np.exp(-leg["burden_pct_gdp"]), atol=1e-9)
    assert (leg["burden_pct_gdp"] > 0).any()
    f.write_text("name: t\nextends: liberation-day-2025\n"
                 "layers:\n  order: {weights: {mfn: 1}}\n")
    with pytest.raises(WorldorderError, match="weights"):
        simulate_timeline(f)


def test_sanctions_count_as_coercion_in_the_layer(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text("name: t\ndataset: world-2024\nsteps:\n  - date: 2025-01-01\n"
                 "    source: a test step\n    sanction: {by: USA, on: [CHN], cost: 0.5}\n")
    from worldorder.security.institutions import baseline_mfn, mfn_consistency

    run = simulate_timeline(f)
    row = run.tables["order_index"].iloc[0]
    w = run.world
    mfn, pref = baseline_mfn(w.tariffs, w.trade)
    # a sanction is coercion but leaves the tariffs, hence MFN consistency, as they were
    assert row["non_coercion"] < 1.0
    assert row["mfn"] == pytest.approx(mfn_consistency(w.tariffs, w.trade, mfn,
                                                       preferential=pref))
    assert set(row["coercive_imposers"].split(",")) == {"USA", "CHN"}


def test_a_dataset_without_memberships_or_great_powers(tmp_path: Path) -> None:
    from tests.builders import random_world

    w = random_world(5, seed=2)
    f = tmp_path / "s.yaml"
    f.write_text("name: t\nsteps:\n  - date: 2025-01-01\n    source: a test step\n"
                 "    tariff: {by: E00, on: [E01], rate: 0.2}\n")
    run = simulate_timeline(f, world=w)
    row = run.tables["order_index"].iloc[0]
    assert np.isnan(row["multilateralism"]) and np.isnan(row["institutions_intact"])
    assert row["index"] == pytest.approx((row["mfn"] + row["non_coercion"]) / 2)
    assert row["coercive_imposers"] == "E00"
    assert run.tables["legitimacy"].empty  # no USA, no CHN: nothing to follow
    assert any("lists no membership" in m for m in run.warnings)


def test_order_index_leaves_out_missing_components() -> None:
    from worldorder.security.institutions import order_index

    w = {"a": 1.0, "b": 3.0}
    assert order_index({"a": float("nan"), "b": 0.5}, w) == pytest.approx(0.5)
    assert np.isnan(order_index({"a": float("nan"), "b": float("nan")}, w))


def test_aid_weight_from_the_layer_section_and_a_restore(tmp_path: Path) -> None:
    # an aid cut, then all of it restored: the layer's pressure differs from aid_weight 0 by
    # a times the aid withdrawn (priced as the alignment layer prices it), only while it is
    f = tmp_path / "s.yaml"
    steps = ("steps:\n  - date: 2025-02-01\n    aid_cut: {donor: USA, share: 0.5}\n"
             "  - date: 2025-05-01\n    aid_restore: {donor: USA, share: 1.0}\n")
    runs = {}
    for wa in (1.0, 0.0):
        f.write_text(f"name: t\ndataset: world-2024\nlayers:\n  order: {{powers: [USA], "
                     f"aid_weight: {wa}}}\n{steps}")
        res = simulate_timeline(f)
        runs[wa] = res.tables["legitimacy"].set_index(["date", "economy"])["pressure"]
    w = res.world
    added = runs[1.0] - runs[0.0]
    aid = aid_change([{"donor": "USA", "share": 0.5, "recipients": "all", "kind": "cut"}], w)
    want = pd.Series(0.3 * np.maximum(-aid, 0.0), index=w.codes).drop("USA")
    cut = added.xs("2025-02-01").reindex(want.index)
    assert cut.to_numpy() == pytest.approx(want.to_numpy(), abs=1e-12) and (want > 0).any()
    assert (added.xs("2025-05-01") == 0).all()
    f.write_text(f"name: t\ndataset: world-2024\nlayers:\n  order: {{aid_weight: -1}}\n{steps}")
    with pytest.raises(WorldorderError, match="aid_weight"):
        simulate_timeline(f)

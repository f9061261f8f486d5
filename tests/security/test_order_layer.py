"""The ``order`` layer records the order indices and legitimacy on every date, as the models
compute them from a finished record."""

from __future__ import annotations

import numpy as np
import pytest

from worldorder.registry import LAYERS
from worldorder.scenarios.timeline import TimelineResult, simulate_timeline
from worldorder.security.institutions import RulesBasedOrder
from worldorder.security.legitimacy import Legitimacy


@pytest.fixture(scope="module")
def run() -> TimelineResult:
    return simulate_timeline("us-2025-26")


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

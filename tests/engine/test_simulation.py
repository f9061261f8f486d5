"""The engine: clock, random streams, action queue with provenance, layers and recorder."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import mini_world, sim_at
from worldorder.engine import (
    Clock,
    Layer,
    PoliticalState,
    Provenance,
    Simulation,
    TradeLayer,
    TradeState,
)
from worldorder.engine.context import Context
from worldorder.errors import EngineError, PluginError, ScenarioError
from worldorder.registry import ACTIONS, LAYERS, Registry
from worldorder.trade.params import resolve_params


def _sim(dates: tuple[str, ...] = ("2025-01-01", "2025-06-01"), seed: int = 7,
         layers: list[str] | None = None) -> Simulation:
    w = mini_world()
    return Simulation(w, resolve_params(w, "ignatenko2025"), clock=Clock(dates), seed=seed,
                      layers=layers)


def _tariff(**fields: object) -> object:
    return ACTIONS["tariff"].model_validate(fields)


# ------------------------------------------------------------------ clock


def test_clock_from_dates_and_undated() -> None:
    assert Clock.from_dates(["2025-03-01", "2025-01-01", "2025-03-01"]).dates == (
        "2025-01-01", "2025-03-01")
    assert Clock.from_dates([]).dates == ("undated",)
    with pytest.raises(EngineError):
        Clock(("2025-02-01", "2025-01-01"))


def test_regular_clock_years_and_quarters_merge_extra_dates() -> None:
    years = Clock.regular("2025-01-01", 3, "year")
    assert years.dates == ("2025-01-01", "2026-01-01", "2027-01-01")
    quarters = Clock.regular("2024-11-30", 3, "quarter", extra=["2025-01-15"])
    assert quarters.dates == ("2024-11-30", "2025-01-15", "2025-02-28", "2025-05-30")
    with pytest.raises(EngineError):
        Clock.regular("2025-01-01", 0)


# ------------------------------------------------------------------ randomness


def test_rng_is_seeded_and_child_streams_depend_only_on_seed_and_key() -> None:
    a, b = _sim(seed=3), _sim(seed=3)
    assert a.rng.random() == b.rng.random()
    x1 = a.spawn_rng("agent:USA").random(4)
    b.spawn_rng("agent:CHN").random(10)  # asking in another order changes nothing
    x2 = b.spawn_rng("agent:USA").random(4)
    assert np.array_equal(x1, x2)
    assert not np.array_equal(x1, a.spawn_rng("agent:CHN").random(4))
    assert not np.array_equal(x1, _sim(seed=4).spawn_rng("agent:USA").random(4))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), keys=st.lists(st.text(min_size=1, max_size=8),
                                                      min_size=1, max_size=5, unique=True))
def test_child_streams_are_reproducible_for_any_seed_and_order(seed: int, keys: list[str]
                                                               ) -> None:
    s1, s2 = _sim(seed=seed), _sim(seed=seed)
    first = {k: s1.spawn_rng(k).integers(0, 2**62) for k in keys}
    second = {k: s2.spawn_rng(k).integers(0, 2**62) for k in reversed(keys)}
    assert first == second


# ------------------------------------------------------------------ queue and stepping


def test_actions_apply_on_their_date_and_the_trade_layer_solves_only_on_change() -> None:
    sim = _sim(("2025-01-01", "2025-02-01", "2025-03-01"))
    sim.push(_tariff(by="USA", on=["CHN"], rate=0.2), Provenance(date="2025-02-01"))
    sim.run()
    trade = sim.layer("trade")
    assert isinstance(trade, TradeLayer)
    assert list(trade.solutions) == ["2025-02-01"]  # nothing changed on the other dates
    w = sim.world
    assert sim.get(TradeState).t[w.index("CHN"), w.index("USA")] == pytest.approx(
        w.tariffs[w.index("CHN"), w.index("USA")] + 0.2)
    tl = sim.tables()["timeline"]
    assert list(tl["date"]) == ["2025-02-01"] and list(tl["action"]) == ["tariff"]
    assert set(sim.tables()["economies"]["date"]) == {"2025-02-01"}


def test_nothing_priced_solves_the_last_date_as_a_zero_shock() -> None:
    sim = _sim().run()
    econ = sim.tables()["economies"]
    assert set(econ["date"]) == {"2025-06-01"}
    assert np.allclose(econ["welfare_pct"], 0.0, atol=1e-9)


def test_agents_push_onto_the_current_date_and_never_into_the_past() -> None:
    sim = _sim()
    sim.step()
    sim.push(_tariff(by="USA", on=["CHN"], rate=0.1), agent="USA", note="leverage")
    with pytest.raises(EngineError, match="not on the clock"):
        sim.push(_tariff(by="USA", on=["CHN"], rate=0.1), date="2030-01-01", agent="USA")
    sim.step()
    with pytest.raises(EngineError, match="is at 2025-06-01"):
        sim.push(_tariff(by="USA", on=["CHN"], rate=0.1), date="2025-01-01", agent="USA")
    with pytest.raises(EngineError, match="every date"):
        sim.step()


def test_an_agent_action_queued_for_the_current_date_runs_after_the_queued_ones() -> None:
    sim = _sim()
    sim.push(_tariff(by="USA", on=["CHN"], rate=0.1), Provenance(date="2025-01-01", index=0))
    sim.step()
    sim.push(_tariff(by="USA", on=["CHN"], rate=0.3), agent="USA", date="2025-06-01",
             note="escalate")
    sim.step()
    tl = sim.tables()["timeline"]
    assert list(tl["origin"]) == ["scenario", "agent"] and list(tl["agent"]) == ["", "USA"]
    assert list(tl["step"]) == [0, -1]


def test_user_errors_are_located_from_provenance_and_bugs_keep_their_traceback() -> None:
    sim = sim_at(mini_world())
    bad = ACTIONS["withdraw"].model_validate({"economy": "CHN", "organization": "NATO"})
    prov = Provenance(date="2025-06-01", file="s.yaml", loc=("steps", 3, "withdraw"), step=3)
    with pytest.raises(ScenarioError) as info:
        sim.apply_now(bad, prov)
    err = info.value
    assert (err.file, err.step, err.date, err.field) == ("s.yaml", 3, "2025-06-01",
                                                        "steps[3].withdraw")
    assert str(err).startswith("s.yaml, field 'steps[3].withdraw': (step 3, 2025-06-01) CHN")

    class Broken(ACTIONS["strike"]):  # type: ignore[misc,valid-type]
        def apply(self, sim: Context) -> None:
            raise KeyError("a bug")

    with pytest.raises(KeyError, match="a bug"):
        sim.apply_now(Broken(by="USA", target="CHN"))


# ------------------------------------------------------------------ layers and recording


class Counter(Layer):
    """A test layer: how many dates the trade layer has seen, and a draw from its own stream."""

    name: ClassVar[str] = "test_counter"
    priority: ClassVar[int] = 90
    tables: ClassVar[dict[str, pa.Schema]] = {
        "test_counter": pa.schema([("date", pa.string()), ("applied", pa.int64()),
                                   ("draw", pa.float64())])}

    def init(self, sim: Context) -> None:
        self.rng = sim.spawn_rng("test_counter")

    def collect(self, sim: Context, date: str) -> dict[str, pd.DataFrame]:
        seen = len(sim.get(TradeState).history)
        return {"test_counter": pd.DataFrame([{"applied": seen,
                                               "draw": float(self.rng.random())}])}


@pytest.fixture()
def counter_layer():  # type: ignore[no-untyped-def]
    LAYERS.add(Counter.name, Counter)
    yield Counter
    LAYERS.unregister(Counter.name)


def test_a_registered_layer_runs_after_the_built_in_ones_and_is_recorded(counter_layer: type
                                                                         ) -> None:
    sim = _sim(seed=11)
    names = [layer.name for layer in sim.layers]  # by priority: built-ins first
    assert names[:2] == ["trade", "politics"] and names[-1] == "test_counter"
    sim.run()
    table = sim.tables()["test_counter"]
    assert list(table["date"]) == ["2025-01-01", "2025-06-01"]
    assert list(table["applied"]) == [1, 2]
    again = _sim(seed=11).run().tables()["test_counter"]
    assert table["draw"].tolist() == again["draw"].tolist()
    only = _sim(layers=["trade", "politics"])
    assert "test_counter" not in only.recorder.schemas


def test_unknown_layer_and_missing_state_are_engine_errors() -> None:
    with pytest.raises(EngineError, match="unknown layer 'nope'"):
        _sim(layers=["nope"])
    sim = _sim(layers=["trade"])
    with pytest.raises(EngineError, match="PoliticalState"):
        sim.get(PoliticalState)


def test_notes_get_unique_keys_and_their_own_table() -> None:
    sim = sim_at(mini_world())
    k1 = sim.note("trade_war", pd.DataFrame({"player": ["USA"], "rate": [0.2]}))
    k2 = sim.note("trade_war", pd.DataFrame({"player": ["CHN"], "rate": [0.3]}))
    assert (k1, k2) == ("trade_war_2025-06-01", "trade_war_2025-06-01_2")
    table = sim.tables()["note_trade_war"]
    assert list(table["note"]) == [k1, k2] and list(table["date"]) == ["2025-06-01"] * 2


def test_registry_refuses_duplicates_and_loads_plugins_once() -> None:
    reg: Registry[object] = Registry("thing", None)
    reg.add("a", 1)
    with pytest.raises(PluginError, match="already registered"):
        reg.add("a", 2)
    assert list(reg) == ["a"] and "a" in reg and reg["a"] == 1
    assert reg.unknown("b") == "unknown thing 'b' (known: a)"
    assert "tariff" in ACTIONS and "trade" in LAYERS and not ACTIONS.failures


class Tuned(Layer):
    """A test layer with parameters."""

    from pydantic import BaseModel as _Base

    class Config(_Base):
        threshold: float = 0.8
        regions: list[str] = ["Europe"]

    name: ClassVar[str] = "test_tuned"
    priority: ClassVar[int] = 95
    seen: ClassVar[list[str]] = []

    def begin(self, sim: Context, date: str) -> None:
        type(self).seen.append(f"begin {date}")


def test_layer_parameters_from_a_scenario_and_the_begin_hook(tmp_path, mini_dataset
                                                             ) -> None:  # type: ignore[no-untyped-def]
    from worldorder.scenarios import build_simulation, load_scenario

    LAYERS.add(Tuned.name, Tuned)
    try:
        path = tmp_path / "s.yaml"
        path.write_text(f"name: tuned\ndataset: {mini_dataset}\nlayers:\n"
                        "  test_tuned: {threshold: 0.5}\n"
                        "steps:\n  - date: 2025-01-01\n    tariff: {by: USA, rate: 0.1}\n")
        sim = build_simulation(load_scenario(path))
        layer = sim.layer("test_tuned")
        assert layer.config.threshold == 0.5 and layer.config.regions == ["Europe"]
        sim.run()
        assert Tuned.seen[-1] == "begin 2025-01-01"
        path.write_text(path.read_text().replace("{threshold: 0.5}", "{threshold: high}"))
        with pytest.raises(ScenarioError, match=r"line 4, field 'layers.test_tuned.threshold'"):
            build_simulation(load_scenario(path))
        path.write_text(path.read_text().replace("test_tuned: {threshold: high}",
                                                 "nope: {}"))
        with pytest.raises(ScenarioError, match="unknown layer 'nope'"):
            build_simulation(load_scenario(path))
    finally:
        LAYERS.unregister(Tuned.name)
    assert _sim().layer("trade").config is None

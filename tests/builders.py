"""Builders shared by the tests: the one module test files import helpers from.

Worlds (:func:`random_world`, :func:`mini_world`), simulations at a date (:func:`sim_at`),
scenario texts, the command line (:func:`cli`), and run folders for the report tests
(:func:`write_run`, :func:`redate`). Fixtures stay in the ``conftest.py`` files; test modules
never import each other.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from worldorder.data.world import World
from worldorder.engine import Clock, PoliticalState, Simulation, TradeState
from worldorder.engine.action import Action
from worldorder.registry import ACTIONS
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import TimelineResult, simulate_timeline
from worldorder.trade.params import resolve_params

# --------------------------------------------------------------------------- worlds


def random_world(n: int, seed: int, *, tariff: float = 0.05, with_groups: bool = False) -> World:
    """A random but well-formed World with ``n`` economies (codes E00, E01, ...)."""
    rng = np.random.default_rng(seed)
    codes = [f"E{k:02d}" for k in range(n)]
    X = rng.lognormal(0.0, 1.0, (n, n))
    np.fill_diagonal(X, 0.0)
    # GDP well above trade keeps imbalances within what economies run (|T|/GDP < ~40%)
    gdp = (X.sum(axis=0) + X.sum(axis=1)) * rng.uniform(2.0, 5.0, n)
    t0 = rng.uniform(0.0, tariff, (n, n))
    np.fill_diagonal(t0, 0.0)
    econ = pd.DataFrame({"code": codes, "name": [f"Economy {c}" for c in codes], "gdp": gdp})
    groups = {"G1": codes[: max(2, n // 3)]} if with_groups else None
    return World.from_frames(econ, X, tariffs=t0, groups=groups, name=f"random-{seed}")


MINI_CODES = ["USA", "CHN", "CAN", "MEX", "DEU", "FRA", "JPN", "VNM"]


def mini_world() -> World:
    """Eight named economies with an EU group, for scenario and CLI tests."""
    rng = np.random.default_rng(7)
    n = len(MINI_CODES)
    size = np.array([29.0, 18.0, 2.2, 1.9, 4.7, 3.2, 4.0, 0.5])
    X = 0.003 * np.outer(size, size) * rng.uniform(0.5, 1.5, (n, n))
    np.fill_diagonal(X, 0.0)
    X[1, 0] *= 2.0  # China runs a surplus with the US
    t0 = np.where(np.eye(n, dtype=bool), 0.0, 0.03)
    econ = pd.DataFrame({"code": MINI_CODES, "name": MINI_CODES, "gdp": size})
    members = [(c, "WHO", "1948") for c in MINI_CODES] + \
        [(c, "WTO", "1995") for c in MINI_CODES] + \
        [(c, "NATO", "1949") for c in ("USA", "CAN", "FRA")] + [("DEU", "NATO", "1955")]
    memberships = pd.DataFrame(members, columns=["economy", "organization", "since"])
    alliances = pd.DataFrame([("USA", "JPN", "US-Japan 1960"), ("USA", "DEU", "NATO")],
                             columns=["a", "b", "treaty"])
    return World.from_frames(econ, X, tariffs=t0, groups={"EU": ["DEU", "FRA"]},
                             memberships=memberships, alliances=alliances,
                             name="mini", year=2024,
                             units={"trade": "USD trillion", "gdp": "USD trillion"},
                             sources={"trade": "synthetic, for tests"})


# --------------------------------------------------------------------------- simulations


def one_aid_recipient() -> pd.DataFrame:
    """An aid table (:func:`worldorder.security.aid.aid_table`'s columns) with one recipient:
    Mexico gets USD 2 bn (the table's GDP is not used: the World's is)."""
    return pd.DataFrame({"iso3": ["MEX"], "economy": ["MEX"], "aid_usd": [2e9],
                         "gdp_usd": [1e12], "aid_pct_gdp": [0.2]})


def sim_at(world: World, date: str = "2025-06-01") -> Simulation:
    """A simulation of ``world`` (ignatenko2025 preset) stepped to ``date`` with no action
    applied, so that a test can apply actions on that date (``undated`` too)."""
    clock = Clock((date,)) if date == "undated" else Clock((date, "2999-12-31"))
    sim = Simulation(world, resolve_params(world, "ignatenko2025"), clock=clock)
    sim.step()
    return sim


# --------------------------------------------------------------------------- scenarios and the CLI

LIBERATION = """name: test-liberation
description: a test
dataset: {dataset}
model: {{preset: ignatenko2025}}
policies:
  - tariff: {{by: USA, on: all, rate: 0.10, exempt: [CAN, MEX]}}
  - reciprocal_tariff: {{by: USA, method: ustr-2025, exempt: [CAN, MEX]}}
"""

RETALIATION = LIBERATION.replace("test-liberation", "test-retaliation") + \
    "  - retaliation: {{by: all, against: USA, rule: mirror}}\n"

# passes the checks made before a run folder exists, fails while the run applies it
FAILS_AT_RUN = "  - withdraw: {{economy: JPN, organization: NATO}}\n"

DATED = """name: test-dated
description: three dated steps
dataset: {dataset}
steps:
  - date: 2025-02-04
    source: a test
    tariff: {{by: USA, on: [CHN], rate: 0.10}}
  - date: 2025-04-02
    tariff: {{by: USA, on: all, rate: 0.10, exempt: [CAN, MEX]}}
  - date: 2025-04-09
    tariff: {{by: USA, on: [CHN], rate: 1.25}}
"""

ScenarioWriter = Callable[..., Path]


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worldorder.cli.app", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


AGENTS_SCENARIO = """name: agents-test
dataset: {dataset}
seed: 3
clock: {{start: 2026-01-01, periods: 4, frequency: year}}
layers:
  agents:
    start: {start}
    every: {every}
    agents:
      USA: {{doctrine: america_first}}
      CHN: {{doctrine: reciprocator}}
      EU: {{doctrine: middle_power_coalition, params: {{threshold: 0.05}}}}
      CAN: {{doctrine: middle_power_coalition}}
      JPN: {{doctrine: subordinate}}
steps:
  - date: 2025-06-01
    tariff: {{by: USA, on: [VNM], rate: 0.2}}
"""


def write_agents_scenario(tmp_path: Path, dataset: Path, start: str = "2026-01-01",
                          every: int = 1) -> Path:
    """The agents test scenario on ``dataset`` written to ``tmp_path/agents.yaml``."""
    path = tmp_path / "agents.yaml"
    path.write_text(AGENTS_SCENARIO.format(dataset=dataset, start=start, every=every))
    return path


# --------------------------------------------------------------------------- run folders

WORLD_ID = "20250101T000000Z-liberation-day-2025-0a1b2c3d"
DATED_ID = "20250102T000000Z-us-2025-dated-1a2b3c4d"
COPIED_ID = "20250103T000000Z-copied-dates-2b3c4d5e"
MINI_ID = "20250104T000000Z-mini-3c4d5e6f"
STRATEGY_ID = "20250105T000000Z-mini-strategy-4d5e6f7a"
MIRROR_ID = "20250106T000000Z-mini-mirror-5e6f7a8b"
PLOTLY_JS = re.compile(r'<script type="application/octet-stream" id="wo-plotly" '
                       r'data-encoding="gzip\+base64">[A-Za-z0-9+/=]+</script>')


def outside_plotly_js(text: str) -> str:
    """The page without the inlined plotly.js (whose code names URLs it never uses here)."""
    assert len(PLOTLY_JS.findall(text)) == 1
    return PLOTLY_JS.sub("", text)


def write_run(result: TimelineResult, folder: Path, run_id: str = "20250101T000000Z-test-0000"
              ) -> Path:
    """Write ``result`` as a complete run folder."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = result.manifest() | {"run_id": run_id, "status": "complete", "error": None}
    # as the run store does: the groups a report needs travel in the manifest
    manifest["dataset"]["groups"] = {g: list(m) for g, m in result.world.groups.items()}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str),
                                          encoding="utf-8")
    for name, table in result.tables.items():  # every recorded table, one file each
        table.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def redate(src: Path, dst: Path, dates: list[str], run_id: str) -> Path:
    """Copy an undated run folder under several dates (a stand-in for a dated run).

    Each date gets the undated tables with the welfare-like columns and the tariffs scaled by
    ``(k + 1) / len(dates)``, so that the dates differ.
    """
    dst.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    manifest |= {"run_id": run_id, "dates": dates,
                 "solver": {d: next(iter(manifest["solver"].values())) for d in dates}}
    (dst / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    scaled = {"economies": ["welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct"],
              "policies": ["rate_after"], "flows": [], "timeline": []}
    for name, cols in scaled.items():
        df = pd.read_parquet(src / f"{name}.parquet")
        frames = []
        for k, d in enumerate(dates):
            part = df.assign(date=d)
            share = (k + 1) / len(dates)
            for c in cols:
                if name == "policies":
                    part[c] = part["rate_before"] + share * (part[c] - part["rate_before"])
                else:
                    part[c] = share * part[c]
            if name == "timeline" and k > 0:
                part = part.iloc[:1].assign(summary=f"Step on {d}", source="https://example.org/x")
            frames.append(part)
        pd.concat(frames, ignore_index=True).to_parquet(dst / f"{name}.parquet", index=False)
    return dst


# --------------------------------------------------------------------------- actions


class ActionTestCase:
    """The shared test case of a registered action, in the manner of Axelrod's ``TestPlayer``.

    Each action's test class subclasses it and sets :attr:`name` (the registry name),
    :attr:`sample` (valid parameters on :func:`mini_world`) and, when the action needs
    something to have happened first, :attr:`prior` (actions applied before it); it inherits
    the contract tests below and adds the action's own. :attr:`classifier` may pin the
    action's classifier.
    """

    name: ClassVar[str] = ""
    sample: ClassVar[dict[str, object]] = {}
    prior: ClassVar[tuple[tuple[str, dict[str, object]], ...]] = ()
    classifier: ClassVar[dict[str, object] | None] = None
    date: ClassVar[str] = "2025-06-01"

    LAYERS: ClassVar[set[str]] = {"trade", "institutions", "security", "strategy"}

    @property
    def cls(self) -> type[Action]:
        """The registered action class."""
        return ACTIONS[self.name]

    def sim(self) -> Simulation:
        """The mini world at :attr:`date`, with :attr:`prior` applied."""
        sim = sim_at(mini_world(), self.date)
        for prior, params in self.prior:
            ACTIONS[prior].model_validate(params).apply(sim)
        return sim

    def action(self, **changes: object) -> Action:
        """The action built from :attr:`sample` (with ``changes``)."""
        return self.cls.model_validate({**self.sample, **changes})

    def test_registered_and_documented(self) -> None:
        cls = self.cls
        assert cls.name == self.name and cls.summary and cls.references and cls.__doc__
        assert cls.classifier.get("layer") in self.LAYERS
        if self.classifier is not None:
            assert cls.classifier == self.classifier

    def test_sample_round_trips_through_its_fields(self) -> None:
        act = self.action()
        assert self.cls.model_validate(act.model_dump()).model_dump() == act.model_dump()

    def test_applies_as_classified(self) -> None:
        sim = self.sim()
        tr, pol = sim.get(TradeState), sim.get(PoliticalState)
        kinds = ("pledges", "defense_targets", "aid", "forces", "events")
        t, d = tr.t.copy(), tr.dhat.copy()
        recorded = sum(len(getattr(pol, k)) for k in kinds)
        members = len(pol.memberships)
        action = self.action()
        action.apply(sim)
        changed_trade = not (np.array_equal(t, tr.t) and np.array_equal(d, tr.dhat))
        after = sum(len(getattr(pol, k)) for k in kinds)
        if self.cls.classifier.get("priced"):
            assert changed_trade, f"{self.name} is classified as priced but changed no tariff"
        else:
            assert not changed_trade
            assert after > recorded or len(pol.memberships) != members
        assert isinstance(action.describe(), str) and action.describe()
        assert all(isinstance(p, str) for p in action.involved())
        for _, nm in action.names_used():
            assert sim.world.is_known(nm)


# --------------------------------------------------------------------------- bundled records


@lru_cache(maxsize=4)
def bundled_record(name: str) -> TimelineResult:
    """``simulate_timeline(name)`` of a bundled scenario, run once per test session and shared
    read-only (the politics tests read ``us-2025`` and ``us-2025-26`` many times)."""
    return simulate_timeline(name)


# --------------------------------------------------------------------------- sweeps


def sweep_scenario(dataset: str = "mini", rate: float = 0.2) -> Scenario:
    """An undated scenario for sweeps on :func:`mini_world`: a US tariff on everyone."""
    return Scenario.from_text(f"name: sweep-test\ndataset: {dataset}\npolicies:\n"
                              f"  - tariff: {{by: USA, on: all, rate: {rate}}}\n")

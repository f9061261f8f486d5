"""Run folders for the report tests: made here from real simulations (no run store needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from tests.builders import (
    COPIED_ID,
    DATED_ID,
    MINI_ID,
    MIRROR_ID,
    STRATEGY_ID,
    WORLD_ID,
    mini_world,
    redate,
    write_run,
)
from worldorder.cli.report_cmd import report
from worldorder.scenarios.timeline import simulate_timeline

STRATEGY = """name: mini-strategy
description: A US tariff on everyone, answered by a coalition of Japan and the EU, then a trade war.
dataset: {dataset}
steps:
  - date: 2025-02-01
    tariff: {{by: USA, on: all, rate: 0.20}}
  - date: 2025-03-01
    coalition: {{members: [JPN, EU], against: USA}}
  - date: 2025-04-01
    trade_war: {{players: [USA, CHN]}}
  - date: 2025-05-01
    retaliation: {{by: [CAN], against: USA, rule: mirror}}
"""
MIRROR = """name: mini-mirror
description: The same US tariff, answered by mirror retaliation.
dataset: {dataset}
steps:
  - date: 2025-02-01
    tariff: {{by: USA, on: all, rate: 0.20}}
  - date: 2025-03-01
    retaliation: {{by: [JPN, EU], against: USA, rule: mirror}}
"""
DATED = """name: us-2025-dated
description: US tariff steps of 2025, with a deal and an event the trade model does not price.
dataset: world-2024
steps:
  - date: 2025-01-20
    source: EO 14155
    withdraw: {economy: USA, organization: WHO, effective: 2026-01-22}
  - date: 2025-02-04
    source: https://www.federalregister.gov/d/2025-02408
    tariff: {by: USA, on: [CHN], rate: 0.10}
  - date: 2025-04-02
    source: EO 14257
    reciprocal_tariff: {by: USA, exempt: [CAN, MEX]}
  - date: 2025-04-02
    tariff: {by: USA, on: [CHN], rate: 0.54}
  - date: 2025-07-22
    tariff_deal: {partner: JPN, rate: 0.15}
"""
@pytest.fixture
def cli() -> typer.Typer:
    """The ``report`` command on an application of its own."""
    app = typer.Typer()
    app.command("report")(report)
    app.command("other")(lambda: None)  # keeps "report" a subcommand, as in the real app
    return app


@pytest.fixture(scope="session")
def runs_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A runs folder holding the four runs below."""
    return tmp_path_factory.mktemp("runs")


@pytest.fixture(scope="session")
def world_run(runs_dir: Path) -> Path:
    """The bundled liberation-day-2025 scenario (undated) on world-2024 (47 economies, ROW,
    the EU-REST aggregate)."""
    return write_run(simulate_timeline("liberation-day-2025"), runs_dir / WORLD_ID, WORLD_ID)


@pytest.fixture(scope="session")
def dated_run(runs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dated scenario on world-2024: three solved dates, unpriced events, sources."""
    folder = tmp_path_factory.mktemp("dated-scenario")
    (folder / "s.yaml").write_text(DATED, encoding="utf-8")
    return write_run(simulate_timeline(folder / "s.yaml"), runs_dir / DATED_ID, DATED_ID)


@pytest.fixture(scope="session")
def copied_run(runs_dir: Path, world_run: Path) -> Path:
    """The undated world run copied under two dates (a hand-made multi-date folder)."""
    return redate(world_run, runs_dir / COPIED_ID, ["2025-04-05", "2025-05-14"], COPIED_ID)


@pytest.fixture(scope="session")
def mini_run(runs_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight economies, no ROW and no aggregates: most countries belong to no economy."""
    folder = tmp_path_factory.mktemp("mini-scenario")
    dataset = mini_world().save(folder / "mini")
    (folder / "s.yaml").write_text(
        f"name: mini\ndataset: {dataset}\npolicies:\n"
        "  - tariff: {by: USA, on: [CHN, VNM], rate: 0.25}\n"
        "  - tariff: {by: CHN, on: [USA], rate: 0.25}\n", encoding="utf-8")
    return write_run(simulate_timeline(folder / "s.yaml"), runs_dir / MINI_ID, MINI_ID)


@pytest.fixture(scope="session")
def mini_dataset_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini world saved as a dataset folder."""
    return mini_world().save(tmp_path_factory.mktemp("mini-dataset") / "mini")


@pytest.fixture(scope="session")
def strategy_run(runs_dir: Path, mini_dataset_dir: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dated scenario on the mini world with strategic steps: a US tariff on everyone, a
    coalition of Japan and the EU (a group: Germany and France) against the US, a US–China
    trade war, and a mirror retaliation (not strategic)."""
    folder = tmp_path_factory.mktemp("strategy-scenario")
    (folder / "s.yaml").write_text(STRATEGY.format(dataset=mini_dataset_dir), encoding="utf-8")
    return write_run(simulate_timeline(folder / "s.yaml"), runs_dir / STRATEGY_ID, STRATEGY_ID)


@pytest.fixture(scope="session")
def mirror_run(runs_dir: Path, mini_dataset_dir: Path,
               tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same US tariff on the mini world, answered by mirror retaliation (no strategic
    step)."""
    folder = tmp_path_factory.mktemp("mirror-scenario")
    (folder / "s.yaml").write_text(MIRROR.format(dataset=mini_dataset_dir), encoding="utf-8")
    return write_run(simulate_timeline(folder / "s.yaml"), runs_dir / MIRROR_ID, MIRROR_ID)

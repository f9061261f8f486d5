"""Fixtures of the run-store tests: small scenarios on the eight-economy test dataset."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.builders import LIBERATION, ScenarioWriter
from worldorder.runs import store


@pytest.fixture
def runs_dir(tmp_path: Path) -> Path:
    return tmp_path / "runs"


@pytest.fixture
def write_scenario(tmp_path: Path, mini_dataset: Path) -> ScenarioWriter:
    """Write a scenario template (formatted with the test dataset) to a YAML file."""

    def write(template: str = LIBERATION, name: str | None = None) -> Path:
        text = template.format(dataset=mini_dataset)
        path = tmp_path / (name or f"{text.split()[1]}.yaml")
        path.write_text(text)
        return path

    return write


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """Make the run store's clock advance one minute per reading, from 2026-01-01."""
    times: list[datetime] = []

    def tick() -> datetime:
        t = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=len(times))
        times.append(t)
        return t

    monkeypatch.setattr(store, "utc_now", tick)
    yield times

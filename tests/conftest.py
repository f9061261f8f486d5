"""Shared fixtures: small random worlds and the path of the shared reference data."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.builders import mini_world, random_world
from worldorder.data.world import World

__all__ = ["mini_world", "random_world"]  # kept for branches written before tests/builders.py

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


@pytest.fixture
def small_world() -> World:
    return random_world(6, seed=1)


@pytest.fixture
def reference_dir() -> Path:
    return REFERENCE


@pytest.fixture
def mini_dataset(tmp_path: Path) -> Path:
    return mini_world().save(tmp_path / "mini")

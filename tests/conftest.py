"""Shared fixtures: small random worlds and the path of the shared reference data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.data.world import World

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"


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


@pytest.fixture
def small_world() -> World:
    return random_world(6, seed=1)


@pytest.fixture
def reference_dir() -> Path:
    return REFERENCE


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


@pytest.fixture
def mini_dataset(tmp_path: Path) -> Path:
    return mini_world().save(tmp_path / "mini")

"""Shared fixtures: small random worlds and the path of the shared reference data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import mini_world, random_world
from worldorder.data.world import World
from worldorder.runs.paths import ENV_VAR

__all__ = ["mini_world", "random_world"]  # kept for branches written before tests/builders.py

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
USER_FOLDERS = ("runs", "reports")


def _listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


@pytest.fixture(autouse=True, scope="session")
def _working_folder_untouched() -> Iterator[None]:
    """Fail the session if any test wrote into the working folder's ``runs/`` or
    ``reports/`` (the user's own folders)."""
    before = {name: _listing(Path.cwd() / name) for name in USER_FOLDERS}
    yield
    after = {name: _listing(Path.cwd() / name) for name in USER_FOLDERS}
    changed = {name: sorted(after[name] ^ before[name]) for name in USER_FOLDERS
               if after[name] != before[name]}
    assert not changed, f"tests wrote into the working folder: {changed}"


@pytest.fixture(autouse=True)
def _runs_in_tmp(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test (and every command it starts) keeps its runs in a temporary folder:
    ``$WORLDORDER_RUNS`` points there unless a test passes ``--runs-dir``."""
    folder = tmp_path_factory.mktemp("runs-env")
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


@pytest.fixture
def small_world() -> World:
    return random_world(6, seed=1)


@pytest.fixture
def reference_dir() -> Path:
    return REFERENCE


@pytest.fixture
def mini_dataset(tmp_path: Path) -> Path:
    return mini_world().save(tmp_path / "mini")

"""Reading a run folder (``docs/run-format.md``) for a report.

:func:`load_run` reads ``manifest.json`` and the four Parquet tables into a :class:`RunData`;
:func:`find_run` turns what a user typed (a folder, a run id, part of one, ``latest``) into a
run folder.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from worldorder.errors import ReportError, WorldorderError
from worldorder.runs.manifest import check_manifest

if TYPE_CHECKING:
    from worldorder.data.world import World

__all__ = ["TABLES", "ReportError", "RunData", "default_runs_dir", "find_run", "load_run"]

TABLES = ("economies", "flows", "policies", "timeline")
REQUIRED_COLUMNS = {
    "economies": ("date", "economy", "welfare_pct"),
    "flows": ("date", "exporter", "importer", "value_before", "value_after"),
    "policies": ("date", "imposer", "target", "rate_before", "rate_after"),
    "timeline": ("date", "action", "summary"),
}




@dataclass(eq=False)
class RunData:
    """A run folder in memory.

    Attributes:
        path: The run folder.
        manifest: ``manifest.json``.
        economies: ``economies.parquet``.
        flows: ``flows.parquet``.
        policies: ``policies.parquet``.
        timeline: ``timeline.parquet``.
        extra: Every other table of the run folder by name (the politics layer's, any other
            registered layer's, and the ``note_<kind>`` tables of strategic steps).
        constituents: Member countries (ISO3) of aggregate economies (e.g. ``EU-REST``), from
            the manifest or from the dataset when it can still be found; empty otherwise.

    ``groups`` (e.g. ``EU`` and its member economies) is read on first use.
    """

    path: Path
    manifest: dict[str, Any]
    economies: pd.DataFrame
    flows: pd.DataFrame
    policies: pd.DataFrame
    timeline: pd.DataFrame
    constituents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    def notes(self, kind: str, date: str | None = None) -> pd.DataFrame:
        """The rows of the ``note_<kind>`` table (a strategic step's own results), of one
        date if given; empty when the run has none."""
        df = self.extra.get(f"note_{kind}")
        if df is None or df.empty:
            return pd.DataFrame()
        return df if date is None else df[df["date"].astype(str) == date]

    @property
    def run_id(self) -> str:
        """The run's id (the folder name when the manifest has none)."""
        return str(self.manifest.get("run_id") or self.path.name)

    @property
    def dates(self) -> list[str]:
        """Solved dates in order: the manifest's list, else the dates of the economies table."""
        dates = [str(d) for d in self.manifest.get("dates") or []]
        present = set(self.economies["date"].astype(str))
        listed = [d for d in dates if d in present]
        return listed or sorted(present)

    @property
    def last_date(self) -> str:
        """The last solved date."""
        return self.dates[-1]

    @cached_property
    def names(self) -> dict[str, str]:
        """Economy code to name (the code when the table has no name); built once per run."""
        e = self.economies
        if "name" not in e.columns:
            return {str(c): str(c) for c in e["economy"].unique()}
        return dict(zip(e["economy"].astype(str), e["name"].astype(str), strict=True))

    def at(self, table: str, date: str) -> pd.DataFrame:
        """Rows of ``table`` at ``date``."""
        df: pd.DataFrame = getattr(self, table)
        return df[df["date"].astype(str) == date]

    @cached_property
    def groups(self) -> dict[str, tuple[str, ...]]:
        """Group name to member economies (e.g. ``EU``), from the manifest or from the dataset
        when it can still be found (the same data); empty otherwise."""
        given = (self.manifest.get("dataset") or {}).get("groups")
        if isinstance(given, Mapping):
            return {str(k): tuple(str(c) for c in v) for k, v in given.items()}
        world = _dataset_world(self.manifest)
        return {} if world is None else dict(world.groups)

    def expand(self, names: Iterable[str]) -> tuple[list[str], list[str]]:
        """Economy codes of ``names`` (economies or groups, in the order given, each once) and
        the names that are neither an economy of the run nor a known group."""
        known = set(self.economies["economy"].astype(str))
        codes: list[str] = []
        unknown: list[str] = []
        for name in names:
            if name in known:
                codes.append(name)
            elif name in self.groups:
                codes += [c for c in self.groups[name] if c in known]
            else:
                unknown.append(name)
        return list(dict.fromkeys(codes)), unknown


def default_runs_dir() -> Path:
    """``$WORLDORDER_RUNS`` or ``runs`` in the current folder."""
    return Path(os.environ.get("WORLDORDER_RUNS") or "runs")


def find_run(run: str | Path, runs_dir: Path | None = None) -> Path:
    """The run folder a user means.

    ``run`` is tried as a folder first; then ``latest`` (the newest run); then, in
    ``runs_dir``, as :func:`worldorder.runs.load_run` resolves it: a run id, a scenario name
    (its newest run), or a unique start or end of a run id.

    Raises:
        ReportError: When nothing matches.
    """
    path = Path(run)
    if (path / "manifest.json").is_file():
        return path
    if path.is_dir():
        raise ReportError(f"{path}: not a run folder (no manifest.json)")
    base = runs_dir if runs_dir is not None else default_runs_dir()
    if not base.is_dir():
        raise ReportError(f"run {str(run)!r}: no such folder, and no runs folder {base}")
    runs = sorted(p for p in base.iterdir()
                  if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file())
    key = str(run)
    if key == "latest":
        if not runs:
            raise ReportError(f"no runs in {base}")
        return runs[-1]  # names start with the UTC time: the last is the newest
    from worldorder.runs import RunError, load_run

    try:  # the same rules as `worldorder runs show`: id, scenario name, unique prefix/suffix
        return load_run(key, runs_dir=base).path
    except RunError as exc:
        raise ReportError(str(exc)) from None


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / "manifest.json"
    if not path.is_file():
        raise ReportError(f"{folder}: not a run folder (no manifest.json)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise ReportError(f"{path}: expected a JSON object")
    status = manifest.get("status", "complete")
    if status == "running":
        raise ReportError(f"{path}: the run is still running; report on it when it is complete")
    if status == "failed":
        raise ReportError(f"{path}: the run failed ({manifest.get('error') or 'no message'}); "
                          "there are no results to report")
    problem = check_manifest(manifest)
    if problem:
        raise ReportError(f"{folder}: not a valid run folder ({problem})")
    if manifest.get("kind", "scenario") != "scenario":
        what = str((manifest.get("scenario") or {}).get("name", "a command"))
        raise ReportError(f"{folder.name}: the results of 'worldorder "
                          f"{what.replace('-', ' ', 1)}', not of a scenario: there is no report "
                          f"of it; 'worldorder runs show {folder.name}' shows its tables")
    return manifest


def _read_table(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise ReportError(f"{path}: missing; the run folder is incomplete")
    try:
        df = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise ReportError(f"{path}: cannot be read as Parquet ({type(exc).__name__})") from None
    missing = [c for c in REQUIRED_COLUMNS[name] if c not in df.columns]
    if missing:
        raise ReportError(f"{path}: missing column(s) {', '.join(missing)}")
    df["date"] = df["date"].astype(str)
    return df


@cache
def _world(source: str, sha256: str) -> World | None:
    from worldorder.data import load_world

    try:
        world = load_world(source)
    except WorldorderError:
        return None
    return world if not sha256 or sha256 == world.fingerprint() else None


def _dataset_world(manifest: Mapping[str, Any]) -> World | None:
    """The run's dataset when it is the bundled dataset of that name with the same data.

    Paths in a manifest are never followed (a copied or crafted run folder could name any
    folder): what a report needs of a user's dataset (groups, constituents) is in the manifest.
    """
    from worldorder.data import bundled_datasets

    dataset = manifest.get("dataset") or {}
    sha = str(dataset.get("sha256") or "")
    if dataset.get("name") in bundled_datasets():
        return _world(str(dataset["name"]), sha)
    return None


def _constituents(manifest: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Constituents from the manifest, else from the dataset with the same data."""
    given = (manifest.get("dataset") or {}).get("constituents")
    if isinstance(given, Mapping):
        return {str(k): tuple(str(c) for c in v) for k, v in given.items()}
    world = _dataset_world(manifest)
    return {} if world is None else dict(world.constituents)


def load_run(folder: str | Path) -> RunData:
    """Read a run folder.

    Raises:
        ReportError: When the folder is not a complete run (one line naming the file).
    """
    path = Path(folder)
    manifest = _read_manifest(path)
    tables = {name: _read_table(path, name) for name in TABLES}
    if tables["economies"].empty:
        raise ReportError(f"{path / 'economies.parquet'}: has no rows")
    extra = {}
    for f in sorted(path.glob("*.parquet")):
        if f.stem not in TABLES:
            try:
                extra[f.stem] = pd.read_parquet(f)
            except Exception:  # pyarrow raises several types for corrupt files
                raise ReportError(f"{f}: cannot be read as Parquet") from None
    return RunData(path=path, manifest=manifest, constituents=_constituents(manifest),
                   extra=extra, **tables)

"""Reading runs back: :class:`RunRecord`, :func:`load_run` and :func:`list_runs`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from worldorder.runs.errors import RunError
from worldorder.runs.integrity import is_temp_folder, run_name_of_temp, stale_reason, verify_tables
from worldorder.runs.manifest import MANIFEST, Status, check_manifest, read_manifest
from worldorder.runs.paths import parse_run_name, resolve_runs_dir
from worldorder.runs.tables import read_table, table_path

__all__ = ["LIST_COLUMNS", "RunRecord", "list_runs", "load_run", "scan_runs"]

LIST_COLUMNS = ("run_id", "kind", "scenario", "dataset", "status", "created_utc", "dates",
                "path", "error")


def _get(mapping: Any, *keys: str) -> Any:
    """``mapping[k1][k2]...`` or ``None`` when any level is missing or not a mapping."""
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


@dataclass(eq=False)
class RunRecord:
    """One run folder: its id, path and manifest, with its tables read on demand.

    Attributes:
        run_id: The folder name, e.g. ``20261122T031500Z-us-2025-1a2b3c4d``.
        path: The run folder.
        manifest: The parsed ``manifest.json`` (``{"status": "broken"}`` if unreadable or not
            a valid manifest; status ``corrupt`` or ``stale`` as
            :mod:`worldorder.runs.integrity` finds).
    """

    run_id: str
    path: Path
    manifest: dict[str, Any]
    _tables: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def from_folder(cls, folder: Path) -> RunRecord:
        """Read a run folder's manifest; never raises for a broken folder."""
        manifest = read_manifest(folder)
        problem = check_manifest(manifest) if manifest is not None else None
        if manifest is None and is_temp_folder(folder):  # its manifest is written next
            stale = stale_reason(folder, None)
            manifest = ({"status": Status.STALE, "error": stale} if stale
                        else {"status": Status.RUNNING})
        elif manifest is None or problem:
            manifest = {"status": Status.BROKEN,
                        "error": problem or f"{MANIFEST} is missing or unreadable"}
        elif is_temp_folder(folder):
            stale = stale_reason(folder, manifest)
            if stale:
                manifest = {**manifest, "status": Status.STALE, "error": stale}
        elif manifest.get("status") == Status.COMPLETE:
            corrupt = verify_tables(folder, manifest)
            if corrupt:
                manifest = {**manifest, "status": Status.CORRUPT, "error": corrupt}
        name = run_name_of_temp(folder) if is_temp_folder(folder) else folder.name
        return cls(run_id=name, path=folder, manifest=manifest)

    @property
    def status(self) -> str:
        """``complete``, ``running``, ``interrupted``, ``failed``, ``broken``, ``corrupt`` or
        ``stale``."""
        status = self.manifest.get("status")
        return status if isinstance(status, str) else Status.BROKEN

    @property
    def scenario(self) -> str:
        """The scenario name (from the manifest, else from the folder name)."""
        name = _get(self.manifest, "scenario", "name")
        if isinstance(name, str):
            return name
        parts = parse_run_name(self.run_id)
        return parts.scenario if parts else ""

    @property
    def kind(self) -> str:
        """``scenario``, or ``command`` for the results of a command such as ``worldorder
        strategy bargain`` (:mod:`worldorder.runs.command_run`)."""
        kind = self.manifest.get("kind")
        return kind if isinstance(kind, str) else "scenario"

    @property
    def dataset(self) -> str:
        """The dataset name."""
        name = _get(self.manifest, "dataset", "name")
        return name if isinstance(name, str) else ""

    @property
    def dates(self) -> list[str]:
        """The solved dates, in order."""
        dates = self.manifest.get("dates")
        return [str(d) for d in dates] if isinstance(dates, list) else []

    @property
    def created_utc(self) -> str:
        """Creation time, ISO 8601 UTC (from the manifest, else from the folder name)."""
        created = self.manifest.get("created_utc")
        if isinstance(created, str):
            return created
        parts = parse_run_name(self.run_id)
        return parts.created_utc if parts else ""

    @property
    def error(self) -> str | None:
        """The one-line error of a failed, interrupted or broken run."""
        error = self.manifest.get("error")
        return str(error) if error else None

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._tables:
            if self.status == Status.CORRUPT:
                raise RunError(f"run {self.run_id} is corrupt: {self.error}")
            if not table_path(self.path, name).is_file() and self.status != Status.COMPLETE:
                raise RunError(f"run {self.run_id} is {self.status}: it has no {name} table")
            self._tables[name] = read_table(self.path, name, self.run_id)
        return self._tables[name].copy()

    def table(self, name: str) -> pd.DataFrame:
        """Any recorded table of the run by name (``agent_choices``, ``events``, ...).

        Raises:
            RunError: The run has no such table.
        """
        return self._table(name)

    def economies(self) -> pd.DataFrame:
        """One row per (date, economy)."""
        return self._table("economies")

    def flows(self) -> pd.DataFrame:
        """One row per (date, exporter, importer)."""
        return self._table("flows")

    def policies(self) -> pd.DataFrame:
        """One row per (date, imposer, target) whose tariff differs from the baseline."""
        return self._table("policies")

    def timeline(self) -> pd.DataFrame:
        """One row per scenario step."""
        return self._table("timeline")

    def summary(self) -> dict[str, Any]:
        """The run as one row: id, scenario, dataset, status, times, counts, parameters."""
        return {
            "run_id": self.run_id,
            "scenario": self.scenario,
            "dataset": self.dataset,
            "status": self.status,
            "created_utc": self.created_utc,
            "dates": len(self.dates),
            "path": str(self.path),
            "error": self.error,
            "finished_utc": _str_or_none(self.manifest.get("finished_utc")),
            "preset": _str_or_none(_get(self.manifest, "parameters", "preset")),
            "closure": _str_or_none(_get(self.manifest, "parameters", "closure")),
            "economies": _int_or_none(_get(self.manifest, "dataset", "economies")),
            "dataset_sha256": _str_or_none(_get(self.manifest, "dataset", "sha256")),
            "total_seconds": _float_or_none(_get(self.manifest, "timings", "total_seconds")),
            "kind": self.kind,
        }


def _str_or_none(x: Any) -> str | None:
    return None if x is None else str(x)


def _int_or_none(x: Any) -> int | None:
    return x if isinstance(x, int) and not isinstance(x, bool) else None


def _float_or_none(x: Any) -> float | None:
    return float(x) if isinstance(x, int | float) and not isinstance(x, bool) else None


def scan_runs(runs_dir: str | Path | None = None) -> list[RunRecord]:
    """Every run folder under the runs folder, newest first: other hidden folders are skipped,
    but the temporary folders of runs being written (or killed) are included."""
    root = resolve_runs_dir(runs_dir)
    try:
        children = [p for p in root.iterdir() if p.is_dir()
                    and (not p.name.startswith(".") or is_temp_folder(p))]
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as exc:
        raise RunError(f"{root}: cannot read the runs folder ({exc.strerror})") from None
    records = [RunRecord.from_folder(p) for p in children]
    records.sort(key=lambda r: (r.created_utc, r.run_id), reverse=True)
    return records


def list_runs(runs_dir: str | Path | None = None) -> pd.DataFrame:
    """The runs, newest first.

    Returns:
        One row per run folder: ``run_id, kind`` (``scenario`` or ``command``), ``scenario,
        dataset, status, created_utc, dates`` (how many), ``path, error``. Folders without a
        readable manifest are listed as ``broken``.
    """
    summaries = [r.summary() for r in scan_runs(runs_dir)]
    rows = [{k: s[k] for k in LIST_COLUMNS} for s in summaries]
    df = pd.DataFrame(rows, columns=list(LIST_COLUMNS))
    return df.astype({"dates": "int64"})


def load_run(ref: str | Path, runs_dir: str | Path | None = None) -> RunRecord:
    """Find a run.

    Args:
        ref: A run id; a scenario name (its newest run); a unique prefix (e.g. the time) or
            suffix (e.g. the hash) of a run id; or the path of a run folder.
        runs_dir: The runs folder (default: ``$WORLDORDER_RUNS`` or ``./runs``).

    Raises:
        RunError: No run matches, or several do.
    """
    text = str(ref).strip()
    if not text:
        raise RunError("give a run id, a scenario name or a run folder")
    folder = Path(text)
    if folder.is_dir() and ((folder / MANIFEST).exists() or parse_run_name(folder.name)):
        return RunRecord.from_folder(folder)
    root = resolve_runs_dir(runs_dir)
    records = scan_runs(root)
    for r in records:
        if r.run_id == text:
            return r
    by_scenario = [r for r in records if r.scenario == text]
    if by_scenario:
        return by_scenario[0]
    matches = [r for r in records if r.run_id.startswith(text) or r.run_id.endswith(text)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(r.run_id for r in matches[:3])
        more = f" and {len(matches) - 3} more" if len(matches) > 3 else ""
        raise RunError(f"run {text!r} is ambiguous in {root}: it matches {shown}{more}; "
                       "give more of the run id")
    if not records:
        raise RunError(f"no run {text!r}: {root} holds no runs")
    raise RunError(f"no run {text!r} in {root}; 'worldorder runs list' shows the runs")

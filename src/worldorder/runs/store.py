"""Executing a scenario into a run folder (``docs/run-format.md``).

:func:`execute_run` solves a scenario with
:func:`~worldorder.scenarios.timeline.simulate_timeline` and records it: a hidden temporary
folder gets the manifest (``status: running``) first, then the Parquet tables and ``log.txt``,
then the final manifest (with the size of every table, which readers verify), and is renamed
into place. A run that is interrupted (Ctrl-C or SIGTERM) or fails is renamed into place too,
with status ``interrupted`` or ``failed``, so that it can be seen. When the disk is full (or the
folder cannot be written for another reason), tables are dropped to make room for the failed
manifest; if even that cannot be written the temporary folder is removed: nothing is left
half-written.
Reading runs back (:class:`RunRecord`, :func:`load_run`, :func:`list_runs`) lives in
:mod:`worldorder.runs.record` and is re-exported here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from worldorder.data.validate import data_warnings
from worldorder.data.world import World
from worldorder.errors import Terminated, WorldorderError
from worldorder.progress import Handler, reporting
from worldorder.runs.errors import RunError
from worldorder.runs.integrity import file_records
from worldorder.runs.manifest import (
    Status,
    initial_manifest,
    iso,
    merge_manifest,
    utc_now,
    write_manifest,
)
from worldorder.runs.paths import reserve_folder, resolve_runs_dir, run_stem, short_hash
from worldorder.runs.progress import ProgressCallback, RunProgress
from worldorder.runs.record import RunRecord, list_runs, load_run
from worldorder.runs.runlog import LOG_FILE, RunLog
from worldorder.runs.tables import write_table
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import simulate_timeline
from worldorder.scenarios.validate import validate_scenario
from worldorder.trade.params import ModelParams, parameter_warnings

__all__ = ["RunRecord", "execute_run", "list_runs", "load_run", "solver_steps"]


class _RunFolder:
    """The temporary folder of a run being written, its manifest and its log."""

    def __init__(self, root: Path, name: str, tmp: Path, manifest: dict[str, Any]) -> None:
        self.root, self.name, self.tmp = root, name, tmp
        self.manifest = manifest
        self.started = time.perf_counter()
        self.timings: dict[str, float] = {}
        write_manifest(tmp, manifest)
        self.log = RunLog(tmp / LOG_FILE, name)

    def record(self, result: Any, extra_warnings: list[str] = ()) -> None:
        """Take the engine's manifest, log the solver statistics and write the tables."""
        engine = result.manifest()
        solver = engine.get("solver") or {}
        engine.pop("created_utc", None)
        engine["warnings"] = list(dict.fromkeys(
            [*map(str, engine.get("warnings") or []), *map(str, result.warnings),
             *extra_warnings]))
        seconds = [s.get("seconds") for s in solver.values() if isinstance(s, dict)]
        self.timings["solve_seconds"] = float(
            sum(x for x in seconds if isinstance(x, int | float)))
        if isinstance(engine.get("dataset"), dict):  # keep what the start recorded (provenance)
            engine["dataset"] = {**(self.manifest.get("dataset") or {}), **engine["dataset"]}
        self.manifest = merge_manifest(self.manifest, engine)
        for date, stats in solver.items():
            self.log.info(f"date {date} solved: {_solver_line(stats)}")
        timeline = getattr(result, "timeline", None)
        if isinstance(timeline, pd.DataFrame) and "date" in timeline.columns:
            for date in dict.fromkeys(timeline["date"]):
                if date not in solver:
                    self.log.info(f"date {date}: trade policy unchanged, not solved")
        for warning in engine["warnings"]:
            self.log.warning(warning)
        t0 = time.perf_counter()
        tables: dict[str, pd.DataFrame] = result.tables
        schemas = getattr(result, "schemas", {})
        for table, frame in tables.items():
            write_table(self.tmp, table, frame, schemas.get(table))
        self.timings["write_seconds"] = time.perf_counter() - t0
        self.log.info(f"wrote {', '.join(f'{t}.parquet' for t in tables)}")

    def finish(self, status: str, error: str | None = None, *, log_complete: bool = True
               ) -> Path:
        """Write the final manifest, close the log and rename the folder into place.

        Raises:
            OSError: The manifest (or, with ``log_complete``, the log) could not be written
                (e.g. a full disk).
        """
        self.timings["total_seconds"] = time.perf_counter() - self.started
        self.manifest = merge_manifest(self.manifest, {
            "run_id": self.name, "status": status, "finished_utc": iso(utc_now()),
            "timings": dict(self.timings), "error": error,
            "files": file_records(self.tmp) if status == Status.COMPLETE else None})
        if error:
            self.log.error(f"{status}: {error}")
        self.log.info(f"run {status} in {self.timings['total_seconds']:.2f} s")
        try:
            if log_complete:
                self.log.raise_write_error()
            write_manifest(self.tmp, self.manifest)
        finally:
            self.log.close()
        final = self.root / self.name
        os.rename(self.tmp, final)
        return final

    def abandon(self, status: str, error: str) -> Path | None:
        """Finish after an exception, never raising (the caller re-raises the original).

        Whole tables already written are kept; a table cut off mid-write is removed. When the
        final manifest cannot be written (a full disk), the tables are deleted to make room and
        it is tried once more; if that fails too, the temporary folder is removed.

        Returns:
            The run folder, or ``None`` when nothing could be kept.
        """
        for attempt in range(2):
            try:
                for part in self.tmp.glob("*.part"):
                    part.unlink()
                if attempt:
                    for table in self.tmp.glob("*.parquet"):
                        table.unlink()
                    error += " (its tables were removed to record this)"
                return self.finish(status, error, log_complete=False)
            except Exception:  # the caller reports the original error
                continue
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return None


def solver_steps(stats: Any) -> str:
    """``"2 Newton iterations + 7 chord steps"`` from a date's solver statistics (a run stored
    before chord steps were counted has ``iterations`` only)."""
    if not isinstance(stats, dict) or "iterations" not in stats:
        return ""
    text = f"{stats['iterations']} Newton iteration{'' if stats['iterations'] == 1 else 's'}"
    chord = stats.get("chord_steps")
    if isinstance(chord, int) and chord > 0:
        text += f" + {chord} chord step{'' if chord == 1 else 's'}"
    return text


def _solver_line(stats: Any) -> str:
    if not isinstance(stats, dict):
        return str(stats)
    parts = []
    if "iterations" in stats:
        parts.append(solver_steps(stats))
    if isinstance(stats.get("residual"), int | float):
        parts.append(f"residual {stats['residual']:.1e}")
    if isinstance(stats.get("seconds"), int | float):
        parts.append(f"{1000 * stats['seconds']:.1f} ms")
    if stats.get("homotopy_steps") not in (None, 0, 1):
        parts.append(f"{stats['homotopy_steps']} homotopy steps")
    return ", ".join(parts) or "solved"


def _magnitude_warnings(world: World, params: ModelParams | None) -> list[str]:
    """Data magnitudes and parameters that make results imprecise or mere limits."""
    found = data_warnings(world)
    if isinstance(params, ModelParams):
        found += parameter_warnings(params)
    return found



@contextlib.contextmanager
def kept_if_stopped(folder: _RunFolder, where: Path) -> Iterator[None]:
    """Write a run inside this block; if the work stops, keep the folder with its reason.

    Ctrl-C or SIGTERM keeps it as ``interrupted``; a worldorder error or a bug as ``failed``
    (the exception goes on); an OS error (a full disk, a folder removed or made read-only under
    the run) as ``failed`` if anything can still be written, and becomes one :class:`RunError`
    line saying what was kept.
    """
    try:
        yield
    except KeyboardInterrupt as exc:
        why = ("terminated (SIGTERM)" if isinstance(exc, Terminated)
               else "interrupted by the user (KeyboardInterrupt)")
        folder.abandon(Status.INTERRUPTED, why)
        raise
    except WorldorderError as exc:
        folder.abandon(Status.FAILED, _one_line(exc))
        raise
    except OSError as exc:
        reason = exc.strerror or _one_line(exc)
        kept = folder.abandon(Status.FAILED, f"cannot write the run ({reason})")
        what = f"kept as failed in {kept}" if kept else "nothing was kept"
        raise RunError(f"{where}: cannot write the run ({reason}); {what}") from None
    except Exception as exc:
        folder.abandon(Status.FAILED, f"{type(exc).__name__}: {_one_line(exc)}")
        raise

def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _load_inputs(scenario: Scenario | str | Path, world: World | None
                 ) -> tuple[Scenario, World]:
    """The scenario and its World, checked against each other (names, model) before any run
    folder exists."""
    return validate_scenario(scenario, world)


def _handlers(*handlers: Handler | None) -> Handler | None:
    """One handler calling each of ``handlers`` that is set (``None`` if none is)."""
    chosen = [h for h in handlers if h is not None]
    if len(chosen) <= 1:
        return chosen[0] if chosen else None

    def both(message: str) -> None:
        for handler in chosen:
            handler(message)
    return both


def execute_run(scenario: Scenario | str | Path, *, runs_dir: str | Path | None = None,
                world: World | None = None,
                progress: bool | ProgressCallback = False,
                messages: Handler | None = None) -> RunRecord:
    """Run a scenario and record it as a run folder.

    The scenario must parse, its dataset load and the names it uses exist in the dataset
    before a run folder exists (those errors are
    raised as they are); from then on every outcome leaves a folder: ``complete``, ``failed``
    (a :class:`~worldorder.errors.WorldorderError` or another exception, with its one-line
    message in the manifest's ``error``) or ``interrupted`` (KeyboardInterrupt). Errors and
    interrupts are re-raised after the folder is in place.

    Args:
        scenario: A :class:`~worldorder.scenarios.scenario.Scenario`, a scenario file or a
            bundled scenario name.
        runs_dir: Where runs live (default: ``$WORLDORDER_RUNS``, else ``./runs``).
        world: Use this World instead of the scenario's dataset.
        progress: ``True`` for a rich progress bar on standard error (shown when the run has
            several dates or takes over a second), or a callable ``(done, total, label)``.
        messages: Called with what a long step is doing while it works (a trade war's rounds,
            coalition chunks: :func:`worldorder.progress.report`); the bar shows them too.

    Returns:
        The :class:`RunRecord` of the complete run.

    Raises:
        ScenarioError, DataError: The scenario or its dataset cannot be read, or the scenario
            names an economy, group or organisation the dataset lacks (no run folder).
        RunError: The runs folder cannot be written (a full disk): the run is kept as
            ``failed`` when its manifest could be written, else nothing is left.
        WorldorderError: The run failed (the folder is kept with status ``failed``).
        KeyboardInterrupt: The run was interrupted (status ``interrupted``); a
            :class:`~worldorder.errors.Terminated` for SIGTERM.
    """
    scenario, world = _load_inputs(scenario, world)
    created = utc_now()
    text = scenario.text or scenario.model_dump_json()
    stem = run_stem(created, scenario.name, short_hash(text, world.fingerprint()))
    root = resolve_runs_dir(runs_dir)
    tmp = None
    try:
        name, tmp = reserve_folder(root, stem)
        run = _RunFolder(root, name, tmp, initial_manifest(name, scenario, world, created))
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise RunError(f"{root}: cannot create a run folder ({exc.strerror or exc})") from None
    log = run.log
    log.info(f"run {name}: scenario {scenario.name} on dataset {world.name} "
             f"({world.n} economies, sha256 {world.fingerprint()[:12]})")

    bar = RunProgress(scenario.name) if progress is True else None

    last = [time.perf_counter()]

    def callback(done: int, total: int, label: str) -> None:
        now = time.perf_counter()
        log.info(f"date {label} done ({done}/{total}, {1000 * (now - last[0]):.1f} ms)")
        last[0] = now
        if bar is not None:
            bar(done, total, label)
        if callable(progress):
            progress(done, total, label)

    with kept_if_stopped(run, root / name):
        with bar if bar is not None else contextlib.nullcontext():
            t0 = time.perf_counter()
            inner = _handlers(bar.inner if bar is not None else None, messages)
            # without a handler of its own, a caller's (a command's progress bar) hears them
            with reporting(inner) if inner is not None else contextlib.nullcontext():
                result = simulate_timeline(scenario, world=world, progress=callback)
            run.timings["simulate_seconds"] = time.perf_counter() - t0
        run.record(result, _magnitude_warnings(world, getattr(result, "params", None)))
        dataset = run.manifest.get("dataset")
        if isinstance(dataset, dict):  # what reports need, so that they never reopen the data
            dataset.setdefault("groups", {g: list(m) for g, m in world.groups.items()})
        final = run.finish(Status.COMPLETE)
    return RunRecord(run_id=name, path=final, manifest=run.manifest)

"""A sweep as a run of the run store: central run, partitioned Parquet results, resume.

A sweep run is an ordinary run folder (``docs/run-format.md``) holding the scenario's own run
(``economies``, ``flows``, ``policies``, ``timeline`` at the scenario's parameters: what
``runs show`` and ``report`` read) plus two partitioned tables::

    sweep_samples/part-00000.parquet    one row per sample: sample, point, status, reason,
                                        the parameter values, iterations, residual, seconds,
                                        method, welfare_world_pct
    sweep_economies/part-00000.parquet  one row per sample and economy: sample, economy and
                                        the outcome columns of worldorder.sweeps.solve.OUTCOMES

Partition ``p`` holds samples ``p*size ... (p+1)*size - 1``; each file is written whole (a
``.part`` file renamed), economies first, so a partition is done exactly when its
``sweep_samples`` file exists. The manifest's ``sweep`` entry records the design, the partition
size and a fingerprint of everything the results depend on (scenario text, dataset, design,
path). A sweep that stops (Ctrl-C, SIGTERM, a crash, a killed machine) keeps its finished
partitions; running it again with the same options, or with ``--resume RUN``, continues it and
computes only the partitions missing. Results are bit-identical whatever the number of workers,
their kind (serial, processes, Dask) and the order of completion; only the ``seconds`` column
(a wall time) differs.
"""

from __future__ import annotations

import math
import os
import socket
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from worldorder.data.world import World
from worldorder.errors import SweepError, Terminated, WorldorderError
from worldorder.executor import Executor, SerialExecutor
from worldorder.runs.errors import RunError
from worldorder.runs.manifest import (
    Status,
    initial_manifest,
    merge_manifest,
    read_manifest,
    utc_now,
    write_manifest,
)
from worldorder.runs.paths import (
    reserve_folder,
    resolve_runs_dir,
    run_stem,
    short_hash,
    temp_folder,
)
from worldorder.runs.record import RunRecord, scan_runs
from worldorder.runs.store import _RunFolder
from worldorder.scenarios.scenario import Scenario
from worldorder.scenarios.timeline import simulate_timeline
from worldorder.scenarios.validate import validate_scenario
from worldorder.sweeps.design import Design
from worldorder.sweeps.solve import Plan, solve_chunk

__all__ = ["ECONOMIES", "SAMPLES", "SweepProgress", "execute_sweep", "partition_size",
           "read_sweep"]

SAMPLES = "sweep_samples"
ECONOMIES = "sweep_economies"

#: ``(done, total, label)`` after each partition.
SweepProgress = Callable[[int, int, str], None]


def partition_size(total: int) -> int:
    """Samples per partition: about 40 partitions, 10 to 500 samples each (independent of the
    number of workers, so that any run of the same sweep has the same files)."""
    return min(500, max(10, math.ceil(total / 40)))


def _part(folder: Path, table: str, p: int) -> Path:
    return folder / table / f"part-{p:05d}.parquet"


def _parquet(frame: pd.DataFrame) -> bytes:
    """``frame`` as the bytes of a Parquet file."""
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return bytes(sink.getvalue().to_pybytes())


def _solve_partition(plan: Plan, samples: list[int]) -> tuple[int, int, bytes, bytes]:
    """``(samples, failed, economies, samples table)`` of one partition, the tables encoded as
    Parquet where they are solved (a worker), so that the parent only writes bytes."""
    smp, econ = solve_chunk(plan, samples)
    return len(smp), int((smp["status"] != "ok").sum()), _parquet(econ), _parquet(smp)


def _write_part(folder: Path, table: str, p: int, data: bytes) -> None:
    path = _part(folder, table, p)
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _done_parts(folder: Path, parts: int) -> set[int]:
    return {p for p in range(parts) if _part(folder, SAMPLES, p).is_file()
            and _part(folder, ECONOMIES, p).is_file()}


def _chunks(total: int, size: int) -> list[list[int]]:
    return [list(range(s, min(s + size, total))) for s in range(0, total, size)]


def _completions(executor: Executor, fn: Callable[[list[int]], Any],
                 items: list[tuple[int, list[int]]]) -> Iterator[tuple[int, Any]]:
    """``(partition, result)`` as results come: in completion order when the executor offers
    ``map_unordered`` (the Dask backend), else in batches of twice the workers."""
    unordered = getattr(executor, "map_unordered", None)
    if callable(unordered):
        for k, result in unordered(fn, [chunk for _, chunk in items]):
            yield items[k][0], result
        return
    batch = max(1, 2 * executor.workers)
    for start in range(0, len(items), batch):
        group = items[start:start + batch]
        for (p, _), result in zip(group, executor.map(fn, [c for _, c in group]),
                                  strict=True):
            yield p, result


def _resumable(root: Path, key: str) -> RunRecord | None:
    """The newest unfinished sweep run with this fingerprint, if any."""
    for rec in scan_runs(root):
        sweep = rec.manifest.get("sweep")
        if (isinstance(sweep, dict) and sweep.get("key") == key
                and rec.status in (Status.INTERRUPTED, Status.FAILED, Status.STALE)):
            return rec
    return None


def _reopen(rec: RunRecord, root: Path, key: str) -> tuple[str, Path, dict[str, Any]]:
    """Move a stopped sweep run back to its temporary folder, to go on writing it."""
    manifest = read_manifest(rec.path)
    sweep = (manifest or {}).get("sweep")
    if not isinstance(sweep, dict):
        raise SweepError(f"run {rec.run_id} is not a sweep; nothing to resume")
    if sweep.get("key") != key:
        raise SweepError(f"run {rec.run_id} was made with other options "
                         f"({'; '.join(sweep.get('params') or [])}"
                         f"{'; ' if sweep.get('noise') else ''}"
                         f"{'; '.join(sweep.get('noise') or [])}, {sweep.get('samples')} "
                         f"samples, seed {sweep.get('seed')}): give the same options to "
                         "resume it")
    if rec.status == Status.COMPLETE:
        raise SweepError(f"run {rec.run_id} is complete; nothing to resume")
    if rec.status == Status.RUNNING:
        raise SweepError(f"run {rec.run_id} is still being written by another process")
    name = rec.run_id
    tmp = temp_folder(root, name)
    if rec.path != tmp:
        os.rename(rec.path, tmp)
    for stray in tmp.glob("*/*.part"):
        stray.unlink()
    assert manifest is not None
    manifest = merge_manifest(manifest, {
        "status": Status.RUNNING, "error": None, "finished_utc": None, "files": None,
        "writer": {"pid": os.getpid(), "host": socket.gethostname()}})
    return name, tmp, manifest


def execute_sweep(scenario: Scenario | str | Path, design: Design, *,
                  world: World | None = None, runs_dir: str | Path | None = None,
                  executor: Executor | None = None, resume: str | Path | None = None,
                  fresh: bool = False, fast: bool | None = None,
                  progress: SweepProgress | None = None, backend: str = "serial"
                  ) -> RunRecord:
    """Run a sweep into the run store (see the module docstring).

    Args:
        scenario: A scenario, a file or a bundled name.
        design: What varies (:class:`~worldorder.sweeps.design.Design`).
        world: Use this World instead of the scenario's dataset.
        runs_dir: Where runs live.
        executor: Where samples are solved (default: this process).
        resume: A stopped sweep run to continue (its options must be the same).
        fresh: Start a new run even if a stopped run of the same sweep exists (by default
            such a run is continued).
        fast: Force the fixed-policy path on or off (default: chosen by
            :func:`~worldorder.sweeps.solve.fixed_policy`).
        progress: Called as ``(samples done, samples, label)`` after each partition.
        backend: The executor's name, for the manifest.

    Raises:
        ScenarioError, DataError: The scenario or its dataset (before any run folder exists).
        SweepError: A resume that does not match.
        RunError: The runs folder cannot be written.
        KeyboardInterrupt: Ctrl-C or SIGTERM; the run is kept as ``interrupted`` and can be
            resumed.
    """
    scenario, world = validate_scenario(scenario, world)
    plan = Plan.make(scenario, world, design, fast)
    executor = executor or SerialExecutor()
    root = resolve_runs_dir(runs_dir)
    size = partition_size(design.total)
    key = f"{plan.key[:32]}-{size}"
    previous: RunRecord | None = None
    if resume is not None:
        from worldorder.runs.record import load_run

        previous = load_run(resume, root)
    elif not fresh:
        previous = _resumable(root, key)
    try:
        if previous is not None:
            name, tmp, manifest = _reopen(previous, root, key)
            run = _RunFolder(root, name, tmp, manifest)
            run.log.info(f"sweep resumed by process {os.getpid()}")
        else:
            created = utc_now()
            text = scenario.text or scenario.model_dump_json()
            stem = run_stem(created, scenario.name, short_hash(text + key, world.fingerprint()))
            name, tmp = reserve_folder(root, stem)
            manifest = initial_manifest(name, scenario, world, created)
            manifest["sweep"] = {**design.describe(), "key": key, "partition_size": size,
                                 "partitions": math.ceil(design.total / size),
                                 "path": "fixed policy" if plan.fast else "full scenario",
                                 "columns": [p.column for p in design.params]}
            run = _RunFolder(root, name, tmp, manifest)
    except OSError as exc:
        raise RunError(f"{root}: cannot write the sweep run ({exc.strerror or exc})") from None
    resumed = previous is not None
    try:
        if not resumed:
            run.log.info(f"sweep {name}: scenario {scenario.name} on {world.name}, "
                         f"{design.total} samples, {'; '.join(design.describe()['params'])}")
        if not resumed or not run.manifest.get("dates") or \
                not (run.tmp / "economies.parquet").is_file():
            result = simulate_timeline(scenario, world=world)  # the scenario's own run
            run.record(result)
            write_manifest(run.tmp, run.manifest)  # kept if the sweep is killed from here
        parts = _chunks(design.total, size)
        done = _done_parts(run.tmp, len(parts))
        todo = [(p, chunk) for p, chunk in enumerate(parts) if p not in done]
        finished = sum(len(parts[p]) for p in done)
        failed = 0
        if resumed:
            run.log.info(f"{len(done)} of {len(parts)} partitions already done")
        if progress is not None:
            progress(finished, design.total, "")
        started = time.perf_counter()
        fn = partial(_solve_partition, plan)
        for p, (solved, failures, econ, samples) in _completions(executor, fn, todo):
            _write_part(run.tmp, ECONOMIES, p, econ)
            _write_part(run.tmp, SAMPLES, p, samples)
            finished += solved
            failed += failures
            if progress is not None:
                progress(finished, design.total, f"{failed} failed" if failed else "")
        elapsed = time.perf_counter() - started
        table = read_sweep(run.tmp, SAMPLES)
        n_failed = int((table["status"] != "ok").sum())
        run.timings["sweep_seconds"] = elapsed
        run.manifest["sweep"] = {**run.manifest["sweep"], "failed": n_failed,
                                 "ok": int(len(table) - n_failed), "backend": backend,
                                 "workers": executor.workers,
                                 "solved_now": int(sum(len(c) for _, c in todo))}
        if n_failed:
            reasons = table.loc[table["status"] != "ok", "reason"].value_counts()
            run.manifest["warnings"] = [*run.manifest.get("warnings", []),
                                        f"{n_failed} of {len(table)} samples failed; first "
                                        f"reason: {reasons.index[0]}"]
        run.log.info(f"sweep: {len(table)} samples ({n_failed} failed), "
                     f"{sum(len(c) for _, c in todo)} solved in {elapsed:.2f} s on "
                     f"{executor.workers} worker(s) ({backend})")
        final = run.finish(Status.COMPLETE)
    except KeyboardInterrupt as exc:
        why = ("terminated (SIGTERM)" if isinstance(exc, Terminated)
               else "interrupted by the user (KeyboardInterrupt)")
        run.abandon(Status.INTERRUPTED, why + "; run the same sweep again to continue it")
        raise
    except WorldorderError as exc:
        run.abandon(Status.FAILED, " ".join(str(exc).split()))
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        kept = run.abandon(Status.FAILED, f"cannot write the sweep ({reason})")
        raise RunError(f"{root / name}: cannot write the sweep ({reason}); "
                       f"{'kept as failed' if kept else 'nothing was kept'}") from None
    except BaseException as exc:
        run.abandon(Status.FAILED, f"{type(exc).__name__}: {' '.join(str(exc).split())}")
        raise
    return RunRecord(run_id=name, path=final, manifest=run.manifest)


def read_sweep(folder: Path, table: str = SAMPLES) -> pd.DataFrame:
    """One partitioned table of a sweep run folder, ordered by sample (and economy).

    Raises:
        RunError: The run has no such table, or a partition cannot be read.
    """
    files = sorted((folder / table).glob("part-*.parquet"))
    if not files:
        raise RunError(f"{folder.name}: no {table} table (is it a sweep run?)")
    try:
        frame = pq.ParquetDataset(files).read().to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise RunError(f"{folder.name}: cannot read {table}: "
                       f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                       ) from None
    keys = ["sample", "economy"] if "economy" in frame.columns else ["sample"]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)

"""The results of a command that is not a scenario, kept as a run (``worldorder strategy``).

A *command run* is a run folder like a scenario's (``docs/run-format.md``), written the same way
(a hidden temporary folder with the manifest first, ``status: running``, renamed into place when
done; ``failed`` or ``interrupted`` kept as such): ``manifest.json``, one Parquet file per result
table and ``log.txt``. Its manifest says ``"kind": "command"`` and holds:

- ``command``: the command line that made it (``worldorder strategy bargain --partners ...``);
- ``inputs``: every input of the command (also ``scenario.parsed``; ``scenario.name`` is the
  command's name, e.g. ``strategy-bargain``, and ``scenario.text`` the inputs as JSON);
- ``results``: small results that are not tables (e.g. whether the core is empty);
- ``tables``: the names of its result tables; ``dates`` is empty.

It has none of a scenario run's ``economies``, ``flows``, ``policies`` and ``timeline``; ``runs
list`` and ``runs show`` show it, ``runs sql`` has a view per table (``strategy_bargain``, ...),
and ``runs sql "select * from runs where kind = 'command'"`` finds every one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from worldorder.data.world import World
from worldorder.runs.errors import RunError
from worldorder.runs.manifest import Status, initial_manifest, jsonable, merge_manifest, utc_now
from worldorder.runs.paths import reserve_folder, resolve_runs_dir, run_stem, short_hash
from worldorder.runs.record import RunRecord
from worldorder.runs.store import _RunFolder, kept_if_stopped
from worldorder.runs.tables import SCHEMAS, write_table

__all__ = ["COMMAND_KIND", "CommandRun", "command_run"]

COMMAND_KIND = "command"
"""The manifest's ``kind`` for the results of a command (a scenario run has ``scenario``)."""


@dataclass(eq=False)
class CommandRun:
    """What a command hands the run store while it works (see :func:`command_run`).

    Attributes:
        run_id: The run's name (its folder once complete).
        tables: The result tables added so far, by name.
        results: Small results kept in the manifest's ``results``.
        warnings: Warnings kept in the manifest (and the log).
        record: The :class:`~worldorder.runs.record.RunRecord` of the complete run, set when
            the ``with`` block ends without an error.
    """

    run_id: str
    folder: _RunFolder
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    record: RunRecord | None = None

    def add_table(self, name: str, frame: pd.DataFrame) -> None:
        """Keep ``frame`` as the table ``name`` (a lower-case SQL name, not a scenario run's).

        Raises:
            RunError: The name is not a plain lower-case name, or is a scenario run's table.
        """
        if not name.replace("_", "").isalnum() or not name[:1].isalpha() or \
                name != name.lower():
            raise RunError(f"table name {name!r}: use lower-case letters, digits and _")
        if name in SCHEMAS:
            raise RunError(f"table name {name!r} is a scenario run's table; choose another")
        self.tables[name] = frame.reset_index(drop=True)

    def log(self, message: str) -> None:
        """Write a line to the run's ``log.txt``."""
        self.folder.log.info(message)


def _inputs_text(command: str, inputs: Mapping[str, Any]) -> str:
    return json.dumps(jsonable({"command": command, "inputs": dict(inputs)}), sort_keys=True,
                      indent=1)


@contextmanager
def command_run(name: str, *, world: World, command: str, inputs: Mapping[str, Any],
                parameters: Mapping[str, Any] | None = None,
                runs_dir: str | Path | None = None) -> Iterator[CommandRun]:
    """Keep what a command computes inside the ``with`` block as a run.

    The run folder exists (``status: running``) from the start of the block; the tables
    given with :meth:`CommandRun.add_table` are written at its end and the run is ``complete``.
    An exception inside the block leaves it ``failed`` (``interrupted`` for Ctrl-C or SIGTERM)
    with the one-line error, and goes on. Check the inputs before the block: a mistake found
    there leaves no folder.

    Args:
        name: The command's name, used as the run's scenario name (``strategy-bargain``).
        world: The dataset the command computed on (its name, hash and provenance are kept).
        command: The command line, as a user would type it again.
        inputs: Every input of the command (JSON-able values).
        parameters: The model parameters it used (``preset``, ``closure``), for ``runs list``.
        runs_dir: Where runs live (default: ``$WORLDORDER_RUNS``, else ``./runs``).

    Raises:
        RunError: The runs folder cannot be written (a full disk).
    """
    created = utc_now()
    text = _inputs_text(command, inputs)
    stem = run_stem(created, name, short_hash(text, world.fingerprint()))
    root = resolve_runs_dir(runs_dir)
    tmp = None
    try:
        run_id, tmp = reserve_folder(root, stem)
        like = SimpleNamespace(name=name, text=text, seed=0)
        manifest = merge_manifest(initial_manifest(run_id, like, world, created), {
            "kind": COMMAND_KIND, "command": command, "inputs": jsonable(dict(inputs)),
            "scenario": {"name": name, "text": text, "parsed": jsonable(dict(inputs))},
            "parameters": jsonable(dict(parameters)) if parameters else None})
        folder = _RunFolder(root, run_id, tmp, manifest)
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise RunError(f"{root}: cannot create a run folder ({exc.strerror or exc})") from None
    folder.log.info(f"run {run_id}: {command} on dataset {world.name} ({world.n} economies, "
                    f"sha256 {world.fingerprint()[:12]})")
    run = CommandRun(run_id=run_id, folder=folder)
    with kept_if_stopped(folder, root / run_id):
        yield run
        for table, frame in run.tables.items():
            write_table(folder.tmp, table, frame)
        for warning in run.warnings:
            folder.log.warning(warning)
        folder.log.info(f"wrote {', '.join(f'{t}.parquet' for t in run.tables) or 'no table'}")
        folder.manifest = merge_manifest(folder.manifest, {
            "tables": list(run.tables), "results": jsonable(run.results),
            "warnings": list(dict.fromkeys(run.warnings))})
        final = folder.finish(Status.COMPLETE)
    run.record = RunRecord.from_folder(final)

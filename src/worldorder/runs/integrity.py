"""Checking run folders before they are read: table files, temporary folders left by killed runs.

* A **complete** run is *verified* whenever it is listed or opened: each table file exists, has the
  size the manifest recorded when the run finished (``files``), and its Parquet footer reads with
  the columns of the format. A run that fails is ``corrupt``, with the first problem as its error;
  it is left out of the SQL views, so that every other run stays queryable.
* A run is written in a hidden folder ``.<name>.tmp`` (:mod:`worldorder.runs.paths`). A process
  killed outright (SIGKILL, a power cut) cannot rename it into place, so readers show such folders
  too. The rule that tells a run still being written from a **stale** one: the manifest names the
  writer (``writer: {pid, host}``); on the same host the folder is stale as soon as that process
  no longer exists; a folder without a readable writer, or written on another host, is stale when
  nothing in it has changed for :data:`STALE_AFTER_SECONDS`. ``worldorder runs clean`` deletes
  stale folders (:func:`clean_stale`); nothing else is ever deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from worldorder.runs.errors import RunError
from worldorder.runs.manifest import read_manifest
from worldorder.runs.tables import SCHEMAS, table_path

__all__ = ["CORE_TABLES", "STALE_AFTER_SECONDS", "clean_stale", "file_records", "is_temp_folder",
           "run_name_of_temp", "stale_reason", "temp_folders", "verify_tables"]

STALE_AFTER_SECONDS = 24 * 3600
_TMP_SUFFIX = ".tmp"


#: Tables every complete run has (the trade layer's and the engine's timeline).
CORE_TABLES = ("economies", "flows", "policies", "timeline")


def file_records(folder: Path) -> dict[str, dict[str, int]]:
    """``{table: {"bytes": size}}`` for the run's table files, kept in the final manifest; the
    partitions of a partitioned table (``<table>/part-*.parquet``, e.g. a sweep's) as
    ``<table>/part-00000``."""
    out = {p.stem: {"bytes": p.stat().st_size} for p in sorted(folder.glob("*.parquet"))}
    out.update({f"{p.parent.name}/{p.stem}": {"bytes": p.stat().st_size}
                for p in sorted(folder.glob("*/part-*.parquet"))})
    return out


def verify_tables(folder: Path, manifest: Mapping[str, Any]) -> str | None:
    """The first problem of a complete run's table files on one line, or ``None`` if sound:
    a core table (of a scenario run; a command run has its own tables,
    :mod:`worldorder.runs.command_run`) or a file the manifest records is missing or has another
    size than the run wrote, or a table's Parquet footer does not read with the columns of its
    schema."""
    recorded = manifest.get("files") if isinstance(manifest.get("files"), Mapping) else {}
    core = CORE_TABLES if manifest.get("kind", "scenario") == "scenario" else ()
    expected = dict.fromkeys([*core, *recorded])
    for table in expected:
        path = table_path(folder, table)
        if not path.is_file():
            return f"{path.name} is missing"
        want = recorded.get(table, {}).get("bytes") if isinstance(recorded.get(table),
                                                                  Mapping) else None
        size = path.stat().st_size
        if isinstance(want, int) and size != want:
            return f"{path.name} has {size} bytes, not the {want} written by the run"
    for path in sorted(folder.glob("*.parquet")):
        try:
            names = set(pq.read_schema(path).names)
        except (OSError, pa.ArrowException) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            return f"{path.name} cannot be read as Parquet ({first})"
        missing = [c for c in SCHEMAS[path.stem].names if c not in names] \
            if path.stem in SCHEMAS else []
        if missing:
            return f"{path.name} lacks the column(s) {', '.join(missing[:3])}"
    return None


def is_temp_folder(path: Path) -> bool:
    """Whether ``path`` is named like the hidden folder of a run being written."""
    name = path.name
    return name.startswith(".") and name.endswith(_TMP_SUFFIX) and len(name) > 5


def run_name_of_temp(path: Path) -> str:
    """``.<name>.tmp`` -> ``<name>``."""
    return path.name[1:-len(_TMP_SUFFIX)]


def temp_folders(root: Path) -> list[Path]:
    """The hidden temporary run folders under ``root``."""
    try:
        return sorted(p for p in root.iterdir() if p.is_dir() and is_temp_folder(p))
    except OSError:
        return []


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def _last_change(folder: Path) -> float:
    times = [folder.stat().st_mtime]
    with contextlib.suppress(OSError):
        times += [p.stat().st_mtime for p in folder.iterdir()]
    return max(times)


def stale_reason(folder: Path, manifest: Mapping[str, Any] | None,
                 now: float | None = None) -> str | None:
    """Why a temporary run folder is stale (see the module docstring), or ``None`` while its
    writer may still be running."""
    writer = manifest.get("writer") if isinstance(manifest, Mapping) else None
    pid = writer.get("pid") if isinstance(writer, Mapping) else None
    host = writer.get("host") if isinstance(writer, Mapping) else None
    if isinstance(pid, int) and not isinstance(pid, bool) and host == socket.gethostname():
        if pid == os.getpid() or _process_exists(pid):
            return None
        return (f"its writer (process {pid}) ended without finishing it (killed?); "
                "'worldorder runs clean' removes it")
    idle = (time.time() if now is None else now) - _last_change(folder)
    if idle > STALE_AFTER_SECONDS:
        return (f"unchanged for {idle / 3600:.0f} hours and its writer is unknown; "
                "'worldorder runs clean' removes it")
    return None


def clean_stale(root: Path, *, dry_run: bool = False) -> list[Path]:
    """Delete the stale temporary run folders under ``root`` (see the module docstring).

    Returns:
        The folders deleted (or that would be, with ``dry_run``).

    Raises:
        RunError: A folder cannot be deleted.
    """
    stale = [p for p in temp_folders(root) if stale_reason(p, read_manifest(p)) is not None]
    if not dry_run:
        for path in stale:
            try:
                shutil.rmtree(path)
            except OSError as exc:
                raise RunError(f"{path}: cannot be removed ({exc.strerror or exc})") from None
    return stale

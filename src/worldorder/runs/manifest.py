"""``manifest.json``: building, writing (atomically), reading and validating a run's manifest.

A manifest is checked against :class:`ManifestSchema` (pydantic) before anything reads it: a
folder holding a ``manifest.json`` that does not match is not a run (its status is ``broken``
with the first problem, located by field). Nothing in a manifest is followed as a path.
"""

from __future__ import annotations

import json
import math
import os
import platform
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

__all__ = [
    "KEY_ORDER",
    "MANIFEST",
    "ManifestSchema",
    "Status",
    "check_manifest",
    "initial_manifest",
    "iso",
    "jsonable",
    "merge_manifest",
    "read_manifest",
    "utc_now",
    "write_manifest",
]

MANIFEST = "manifest.json"
KEY_ORDER = ("run_id", "status", "scenario", "dataset", "parameters", "dates", "solver",
             "timings", "seed", "package", "created_utc", "finished_utc", "warnings", "error")


class Status:
    """The values of a manifest's ``status``, plus what a reader concludes about a folder:
    ``broken`` (no valid manifest), ``corrupt`` (complete, but a table file is missing,
    truncated or not the file written) and ``stale`` (a temporary folder whose writer is gone)."""

    RUNNING = "running"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    BROKEN = "broken"
    CORRUPT = "corrupt"
    STALE = "stale"


def utc_now() -> datetime:
    """The current UTC time, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def iso(t: datetime) -> str:
    """``2026-11-22T03:15:00Z``."""
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def jsonable(obj: Any) -> Any:
    """A copy of ``obj`` that ``json`` writes as standard JSON (NaN and infinities -> null)."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, Path):
        return obj.as_posix()
    return str(obj)


def initial_manifest(run_id: str, scenario: Any, world: Any, created: datetime
                     ) -> dict[str, Any]:
    """The manifest written when a run starts (``status: running``)."""
    from worldorder import __version__

    text = scenario.text or ""
    try:
        parsed = json.loads(scenario.model_dump_json())
    except (AttributeError, TypeError, ValueError):
        parsed = None
    return {
        "run_id": run_id,
        "status": Status.RUNNING,
        "scenario": {"name": scenario.name, "text": text, "parsed": parsed},
        "dataset": {"name": world.name, "year": world.year, "sha256": world.fingerprint(),
                    "economies": world.n, "units": dict(world.units),
                    "sources": dict(world.sources),
                    "provenance": world.provenance_summary().as_dict()},
        "parameters": None,
        "dates": [],
        "solver": {},
        "timings": {},
        "seed": getattr(scenario, "seed", 0),
        "package": {"worldorder": __version__, "python": platform.python_version(),
                    "numpy": np.__version__, "pandas": pd.__version__},
        "created_utc": iso(created),
        "finished_utc": None,
        "warnings": [],
        "error": None,
        "writer": {"pid": os.getpid(), "host": socket.gethostname()},
    }


def merge_manifest(base: dict[str, Any], *updates: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated by ``updates`` in turn, keys in the order of the format."""
    merged = dict(base)
    for update in updates:
        merged.update(update)
    ordered = {k: merged[k] for k in KEY_ORDER if k in merged}
    return ordered | {k: v for k, v in merged.items() if k not in ordered}


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    """Write ``manifest.json`` whole (a ``.part`` file renamed over the old one)."""
    path = folder / MANIFEST
    part = folder / (MANIFEST + ".part")
    part.write_text(json.dumps(jsonable(manifest), indent=2, allow_nan=False) + "\n",
                    encoding="utf-8")
    os.replace(part, path)
    return path


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a run folder, or ``None`` if it is missing or not a JSON object."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _Scenario(_Part):
    name: StrictStr
    text: StrictStr = ""
    parsed: dict[str, Any] | None = None


class _Dataset(_Part):
    name: StrictStr
    year: StrictInt | None = None
    sha256: StrictStr = ""
    economies: StrictInt | None = Field(default=None, ge=1)
    units: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    sources: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    groups: dict[StrictStr, list[StrictStr]] = Field(default_factory=dict)
    constituents: dict[StrictStr, list[StrictStr]] = Field(default_factory=dict)


class _Writer(_Part):
    pid: StrictInt = Field(ge=1)
    host: StrictStr


class _File(_Part):
    bytes: StrictInt = Field(ge=0)


class ManifestSchema(_Part):
    """The fields of ``manifest.json`` a reader relies on, with their types
    (``docs/run-format.md``); further fields are kept as they are."""

    run_id: StrictStr | None = None
    status: Literal["running", "complete", "interrupted", "failed"]
    scenario: _Scenario
    dataset: _Dataset
    parameters: dict[str, Any] | None = None
    dates: list[StrictStr] = Field(default_factory=list)
    solver: dict[StrictStr, Any] = Field(default_factory=dict)
    timings: dict[StrictStr, float] = Field(default_factory=dict)
    seed: StrictInt = 0
    created_utc: StrictStr | None = None
    finished_utc: StrictStr | None = None
    warnings: list[StrictStr] = Field(default_factory=list)
    error: StrictStr | None = None
    writer: _Writer | None = None
    files: dict[StrictStr, _File] | None = None


def check_manifest(manifest: Any) -> str | None:
    """The first problem of a parsed manifest against :class:`ManifestSchema`, on one line
    (``manifest.json, field 'dates[0]': Input should be a valid string``), or ``None``."""
    if not isinstance(manifest, dict):
        return f"{MANIFEST}: not a JSON object"
    try:
        ManifestSchema.model_validate(manifest)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ""
        for part in err["loc"]:
            field += f"[{part}]" if isinstance(part, int) else ("." if field else "") + str(part)
        where = f"{MANIFEST}, field {field!r}" if field else MANIFEST
        msg = "required field is missing" if err["type"] == "missing" else err["msg"]
        return f"{where}: {msg}"
    return None

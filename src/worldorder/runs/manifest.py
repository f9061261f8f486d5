"""``manifest.json``: building, writing (atomically) and reading a run's manifest."""

from __future__ import annotations

import json
import math
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "KEY_ORDER",
    "MANIFEST",
    "Status",
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
    """The values of a manifest's ``status``, plus ``broken`` for unreadable folders."""

    RUNNING = "running"
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    BROKEN = "broken"


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

"""Where runs live and what their folders are called.

A run folder is named ``<UTC YYYYMMDDTHHMMSSZ>-<scenario name>-<8 hex>``, with ``-2``, ``-3``,
... added on a clash; it is written as the hidden folder ``.<name>.tmp`` and renamed when done.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

__all__ = [
    "ENV_VAR",
    "RunName",
    "parse_run_name",
    "reserve_folder",
    "resolve_runs_dir",
    "run_stem",
    "short_hash",
    "temp_folder",
]

ENV_VAR = "WORLDORDER_RUNS"
DEFAULT_DIR = "runs"
TIME_FORMAT = "%Y%m%dT%H%M%SZ"
_NAME = re.compile(r"^(?P<time>\d{8}T\d{6}Z)-(?P<scenario>.+)-(?P<hash>[0-9a-f]{8})"
                   r"(?:-(?P<copy>\d+))?$")


def resolve_runs_dir(runs_dir: str | Path | None = None) -> Path:
    """The runs folder: the argument, else ``$WORLDORDER_RUNS``, else ``./runs``."""
    if runs_dir is not None and str(runs_dir) != "":
        return Path(runs_dir)
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else Path(DEFAULT_DIR)


def short_hash(scenario_text: str, dataset_fingerprint: str) -> str:
    """The first 8 hex digits of SHA-256(scenario text + dataset fingerprint)."""
    return hashlib.sha256((scenario_text + dataset_fingerprint).encode()).hexdigest()[:8]


def run_stem(created: datetime, scenario_name: str, digest: str) -> str:
    """The folder name of a run before any clash suffix."""
    return f"{created.strftime(TIME_FORMAT)}-{scenario_name}-{digest}"


def temp_folder(root: Path, name: str) -> Path:
    """The hidden folder a run is written to before it is renamed to ``root / name``."""
    return root / f".{name}.tmp"


def reserve_folder(root: Path, stem: str) -> tuple[str, Path]:
    """Claim a free run name under ``root`` and create its temporary folder.

    The temporary folder is created exclusively (``mkdir`` fails if it exists), and the final
    name is checked only after that, so two writers never claim the same name.

    Returns:
        The run name and its (new, empty) temporary folder.
    """
    root.mkdir(parents=True, exist_ok=True)
    k = 1
    while True:
        name = stem if k == 1 else f"{stem}-{k}"
        k += 1
        if (root / name).exists():
            continue
        tmp = temp_folder(root, name)
        try:
            tmp.mkdir()
        except FileExistsError:
            continue
        if (root / name).exists():  # finished by another writer before we claimed it
            tmp.rmdir()
            continue
        return name, tmp


@dataclass(frozen=True)
class RunName:
    """The parts of a run folder name."""

    time: str
    scenario: str
    hash: str
    copy: int

    @property
    def created_utc(self) -> str:
        """The creation time as ISO 8601 (``2026-11-22T03:15:00Z``)."""
        t = self.time
        return f"{t[:4]}-{t[4:6]}-{t[6:8]}T{t[9:11]}:{t[11:13]}:{t[13:15]}Z"


def parse_run_name(name: str) -> RunName | None:
    """Split a run folder name into its parts (``None`` if it is not one)."""
    m = _NAME.match(name)
    if m is None:
        return None
    return RunName(m["time"], m["scenario"], m["hash"], int(m["copy"] or 1))

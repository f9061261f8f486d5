"""Datasets shipped with the package, found by name (e.g. ``world-2024``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from worldorder.errors import DataError

__all__ = ["bundled_datasets", "dataset_path"]


def _root() -> Path:
    return Path(str(resources.files("worldorder") / "datasets"))


def bundled_datasets() -> list[str]:
    """Names of the bundled datasets."""
    root = _root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "dataset.toml").is_file())


def dataset_path(name_or_path: str | Path, *, base: Path | None = None) -> Path:
    """Resolve a bundled dataset name or a folder path.

    A path is tried first (relative to ``base`` when given, e.g. the scenario's folder), then a
    bundled name.

    Raises:
        DataError: When neither exists.
    """
    p = Path(name_or_path)
    candidates = [base / p] if base is not None and not p.is_absolute() else []
    candidates.append(p)
    for c in candidates:
        if c.is_dir():
            return c
    bundled = _root() / str(name_or_path)
    if (bundled / "dataset.toml").is_file():
        return bundled
    names = ", ".join(bundled_datasets()) or "none"
    raise DataError(f"dataset {str(name_or_path)!r}: no such folder or bundled dataset "
                    f"(bundled: {names})")

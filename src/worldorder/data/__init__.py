"""Layer 1, data: the World and its datasets (loading, validation, import)."""

from __future__ import annotations

from pathlib import Path

from worldorder.data.bundled import bundled_datasets, dataset_path
from worldorder.data.loader import load_folder
from worldorder.data.world import World

__all__ = ["World", "bundled_datasets", "dataset_path", "load_dataset", "load_world"]


def load_dataset(path: str | Path) -> World:
    """Load and validate a dataset folder (see ``docs/importing-data.md`` for the format).

    Raises:
        DataError: One line naming the file, line and field of the first problem found.
    """
    return load_folder(Path(path))


def load_world(name_or_path: str | Path = "world-2024", *, base: Path | None = None) -> World:
    """Load a bundled dataset by name (e.g. ``world-2024``) or a dataset folder by path."""
    return load_dataset(dataset_path(name_or_path, base=base))

"""Loading a dataset folder (``dataset.toml`` plus CSV tables) into a validated World."""

from __future__ import annotations

from pathlib import Path

from worldorder.data.validate import (
    OPTIONAL_FILES,
    Table,
    build_world,
    read_csv_table,
    read_metadata,
)
from worldorder.data.world import World
from worldorder.errors import DataError

__all__ = ["load_folder"]


def load_folder(folder: Path) -> World:
    """Load and validate a dataset folder (see ``docs/importing-data.md`` for the format).

    Raises:
        DataError: One line naming the file, line and field of the first problem found.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: no such dataset folder")
    meta = read_metadata(folder)
    tables: dict[str, Table | None] = {}
    for name in ("economies", "trade"):
        f = folder / f"{name}.csv"
        if not f.is_file():
            raise DataError(f"{folder.name}: missing {name}.csv")
        tables[name] = read_csv_table(f)
    for name in OPTIONAL_FILES:
        f = folder / f"{name}.csv"
        tables[name] = read_csv_table(f) if f.is_file() else None
    return World(**build_world(tables, meta, path=folder))

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
        f = table_file(folder, name)
        if f is None:
            raise DataError(f"{folder.name}: missing {name}.csv (or {name}.csv.gz)")
        tables[name] = read_csv_table(f)
    for name in OPTIONAL_FILES:
        f = table_file(folder, name)
        tables[name] = read_csv_table(f) if f is not None else None
    return World(**build_world(tables, meta, path=folder))


def table_file(folder: Path, name: str) -> Path | None:
    """The file of table ``name`` in a dataset folder: ``name.csv`` or ``name.csv.gz``.

    Raises:
        DataError: When both exist (which one is meant would be a guess).
    """
    plain, packed = folder / f"{name}.csv", folder / f"{name}.csv.gz"
    if plain.is_file() and packed.is_file():
        raise DataError(f"{folder.name}: both {plain.name} and {packed.name} exist; keep one")
    return plain if plain.is_file() else packed if packed.is_file() else None

"""The Parquet tables of a run folder and their schemas (``docs/run-format.md``): one file per
recorded table, its schema the one its layer registered."""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from worldorder.engine.layer import Layer
from worldorder.engine.recorder import ENGINE_TABLES
from worldorder.registry import LAYERS
from worldorder.runs.errors import RunError

__all__ = ["SCHEMAS", "TABLES", "read_table", "registered_schemas", "table_path", "to_arrow",
           "write_table"]

_STR = pa.string()


def registered_schemas() -> dict[str, pa.Schema]:
    """Every table a run can record with a fixed schema: the engine's (``timeline``) and
    every registered layer's (the trade layer's ``economies``, ``flows``, ``policies``, the
    politics layer's ``memberships``, ``pledges``, ...). Notes tables (``note_<kind>``) have no
    fixed schema."""
    out: dict[str, pa.Schema] = dict(ENGINE_TABLES)
    for name in LAYERS:
        layer = cast("type[Layer]", LAYERS[name])
        out.update(layer.tables)
    return out


SCHEMAS: dict[str, pa.Schema] = registered_schemas()
TABLES: tuple[str, ...] = tuple(SCHEMAS)


def table_path(folder: Path, table: str) -> Path:
    """``folder / "<table>.parquet"``."""
    return folder / f"{table}.parquet"


def to_arrow(table: str, df: pd.DataFrame, schema: pa.Schema | None = None) -> pa.Table:
    """Convert a result table to its Arrow schema (``schema``, else the registered one; a table
    with neither, such as a note, gets its inferred types).

    The columns of the schema come first, in its order and types; any further columns the
    engine adds follow with their inferred types.

    Raises:
        RunError: A column of the schema is missing.
    """
    schema = schema if schema is not None else SCHEMAS.get(table, pa.schema([]))
    base = schema
    missing = [n for n in schema.names if n not in df.columns]
    if missing:
        raise RunError(f"the {table} table lacks the column(s) {', '.join(missing)}")
    extra = [c for c in df.columns if c not in schema.names]
    order = [*base.names, *extra]
    # the index is never written (preserve_index=False): a frame already in order is converted
    # as it is, without a copy
    frame = df if list(df.columns) == order else df[order]
    for c in extra:
        try:
            inferred = pa.Table.from_pandas(frame[[c]], preserve_index=False).schema.field(c).type
        except (pa.ArrowException, TypeError, ValueError):  # mixed objects: keep them as text
            frame = frame.copy() if frame is df else frame  # never change the caller's frame
            frame[c] = frame[c].map(lambda v: None if v is None else str(v))
            inferred = _STR
        if pa.types.is_large_string(inferred):
            inferred = _STR
        schema = schema.append(pa.field(str(c), inferred))
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)


def write_table(folder: Path, table: str, df: pd.DataFrame,
                schema: pa.Schema | None = None) -> Path:
    """Write one table as Parquet, whole or not at all (via a ``.part`` file and a rename)."""
    path = table_path(folder, table)
    part = path.with_name(path.name + ".part")
    pq.write_table(to_arrow(table, df, schema), part)
    os.replace(part, path)
    return path


def read_table(folder: Path, table: str, run_id: str) -> pd.DataFrame:
    """Read one table of a run folder.

    Raises:
        RunError: The file is missing or unreadable.
    """
    path = table_path(folder, table)
    if not path.is_file():
        raise RunError(f"run {run_id} has no {table} table ({path.name} is missing)")
    try:
        return pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise RunError(f"run {run_id}: cannot read {path.name}: "
                       f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                       ) from None

"""The recorder: collects every table the layers register, the engine's timeline of applied
actions and the notes of strategic actions, date by date.

Recording is kept apart from the dynamics (as Mesa's DataCollector is): layers say what to record
(``Layer.collect``), the recorder stacks it and knows the schemas; the run store writes it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from worldorder.engine.layer import Layer

__all__ = ["ENGINE_TABLES", "NOTE_PREFIX", "Recorder", "note_table"]

_STR = pa.string()

#: Tables the engine itself records.
ENGINE_TABLES: dict[str, pa.Schema] = {
    "timeline": pa.schema([
        ("date", _STR), ("step", pa.int64()), ("action", _STR), ("summary", _STR),
        ("parties", _STR), ("source", _STR), ("priced", pa.bool_()), ("details", _STR),
        ("origin", _STR), ("agent", _STR)]),
}

#: Notes of kind ``k`` are recorded in the table ``note_<k>``.
NOTE_PREFIX = "note_"


def note_table(kind: str) -> str:
    """The table name of notes of ``kind`` (e.g. ``note_trade_war``)."""
    return NOTE_PREFIX + kind


class Recorder:
    """Rows by table, in the order they were collected.

    Attributes:
        schemas: Every registered table's schema (layers' and the engine's); notes tables are
            schema-free (their columns are inferred).
    """

    def __init__(self, layers: list[Layer]) -> None:
        self.schemas: dict[str, pa.Schema] = dict(ENGINE_TABLES)
        self.owner: dict[str, str] = dict.fromkeys(ENGINE_TABLES, "engine")
        for layer in layers:
            for table, schema in layer.tables.items():
                if table in self.schemas:
                    raise ValueError(f"layer {layer.name!r} records table {table!r}, which "
                                     f"layer {self.owner[table]!r} records already")
                self.schemas[table] = schema
                self.owner[table] = layer.name
        self._rows: dict[str, list[pd.DataFrame]] = defaultdict(list)

    def add(self, table: str, date: str, frame: pd.DataFrame) -> None:
        """Record ``frame`` as rows of ``table`` for ``date`` (a ``date`` column is added
        first if the frame has none)."""
        if "date" not in frame.columns:
            frame = frame.copy()
            frame.insert(0, "date", date)
        self._rows[table].append(frame)

    def table(self, table: str) -> pd.DataFrame:
        """Every row recorded in ``table`` (empty with the schema's columns if none)."""
        frames = [f for f in self._rows.get(table, []) if len(f.columns)]
        if not frames:
            schema = self.schemas.get(table)
            return pd.DataFrame(columns=list(schema.names) if schema is not None else ["date"])
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else \
            frames[0].reset_index(drop=True)
        return out

    def names(self) -> list[str]:
        """Tables that have rows, plus every registered table (in registration order)."""
        return list(dict.fromkeys([*self.schemas, *self._rows]))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, registered or noted."""
        return {name: self.table(name) for name in self.names()}

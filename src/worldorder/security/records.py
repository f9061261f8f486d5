"""Reading the political state's records, whether typed (the engine's dataclasses) or mappings."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from typing import Any

__all__ = ["as_dict"]


def as_dict(record: Any) -> dict[str, Any]:
    """A record of :class:`~worldorder.engine.layers.politics.PoliticalState` as a dict (tuples
    kept), or the mapping itself."""
    if is_dataclass(record) and not isinstance(record, type):
        return asdict(record)
    return dict(record)

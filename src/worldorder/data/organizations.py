"""The organisations worldorder knows by code, with the dated US exits of 2025-26.

A bundled table (``datasets/organizations.csv``, built by ``data-raw/security-politics/build.py``
with every row's source and confidence): the global bodies, clubs, regional organisations and
alliances of the datasets' memberships, and the 66 organisations of the presidential memorandum
of 7 January 2026 (section 2(a): 35 non-UN organisations; 2(b): 31 UN entities). The scenario
checks accept these codes in ``withdraw`` and ``join``; the institutions models read the table.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

__all__ = ["MEMORANDUM_2026", "organization_codes", "organizations"]

#: The notice date of the memorandum's 66 organisations in the table.
MEMORANDUM_2026 = "2026-01-07"


def _path() -> Path:
    return Path(str(resources.files("worldorder") / "datasets" / "organizations.csv"))


@lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    return pd.read_csv(_path(), dtype=str, keep_default_na=False)


def organizations() -> pd.DataFrame:
    """Columns: ``organization`` (code), ``name``, ``kind`` (``global``, ``un-entity``,
    ``non-un``, ``regional``, ``club``, ``alliance``), ``us_notice``, ``us_effective`` (dates of
    the US exits of 2025-26, empty if none), ``source``, ``confidence``. The 66 organisations
    of the memorandum of 7 January 2026 are those with ``us_notice == MEMORANDUM_2026``."""
    return _read().copy()


def organization_codes() -> frozenset[str]:
    """Every code of :func:`organizations`."""
    return frozenset(_read()["organization"])

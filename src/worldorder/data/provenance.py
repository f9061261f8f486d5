"""How much of a dataset's trade is measured, estimated or imputed.

Every row of a dataset's ``trade.csv`` may carry a ``source`` and a ``confidence``. This module
sorts rows into four classes by their confidence (by their source when there is no confidence
column) and sums their trade value, so that a user sees how much of what a run rests on is data:

* ``measured``: read from a statistical source (confidence ``measured``, or ``verified ...`` as
  the bundled ``world-2024`` writes it);
* ``estimated``: a figure that is not a direct reading (confidence ``estimated``, ``derived
  ...``, ``unverified ...`` such as a recalled figure, ``scaled ...``, ``stated assumption``);
* ``imputed``: produced by a model where no figure exists (confidence or source beginning with
  ``imputed``);
* ``unspecified``: the dataset says nothing about the row (no source, no confidence).

Shares are of the international trade value (domestic flows, when a dataset gives them, are
left out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["CLASSES", "Provenance", "classify", "classify_many", "describe_shares",
           "trade_provenance"]

CLASSES = ("measured", "estimated", "imputed", "unspecified")
_MEASURED = ("measured", "verified")
_IMPUTED = ("imputed",)


def classify(confidence: str, source: str = "") -> str:
    """The class (``measured``, ``estimated``, ``imputed`` or ``unspecified``) of one row.

    >>> classify("measured"), classify("verified (copy of the Census file)")
    ('measured', 'measured')
    >>> classify("unverified (recalled ±5%)"), classify("derived (Census total)")
    ('estimated', 'estimated')
    >>> classify("imputed"), classify("", "imputed: PPML gravity"), classify("", "BACI")
    ('imputed', 'imputed', 'unspecified')
    """
    text = (confidence or "").strip().lower()
    if not text:
        return "imputed" if (source or "").strip().lower().startswith(_IMPUTED) else "unspecified"
    if text.startswith(_IMPUTED):
        return "imputed"
    if text.startswith(_MEASURED):
        return "measured"
    return "estimated"


def classify_many(confidence: pd.Series, source: pd.Series) -> np.ndarray:
    """:func:`classify` for whole columns (vectorised; same rules)."""
    conf = confidence.fillna("").astype(str).str.strip().str.lower()
    empty = (conf == "").to_numpy()
    # the sources (long texts) matter only where the confidence is empty
    src_imputed = np.zeros(len(empty), dtype=bool)
    if empty.any():
        src = source[empty].fillna("").astype(str).str.strip().str.lower()
        src_imputed[empty] = src.str.startswith(_IMPUTED).to_numpy()
    return np.select(
        [src_imputed, empty,
         conf.str.startswith(_IMPUTED).to_numpy(), conf.str.startswith(_MEASURED).to_numpy()],
        ["imputed", "unspecified", "imputed", "measured"], default="estimated")


@dataclass(frozen=True)
class Provenance:
    """The trade value of a dataset by class of provenance.

    Attributes:
        dataset: The dataset's name.
        total: International trade value (sum of the off-diagonal flows), in ``unit``.
        unit: The trade unit (e.g. ``USD billion``).
        value: Trade value per class (every class of :data:`CLASSES` present, maybe 0).
        rows: Number of trade rows per class.
        sources: The dataset's sources per table (from ``dataset.toml``).
        sources_file: Where the dataset documents its sources (``SOURCES.md`` in its folder),
            when there is such a file.
    """

    dataset: str
    total: float
    unit: str
    value: Mapping[str, float]
    rows: Mapping[str, int]
    sources: Mapping[str, str] = field(default_factory=dict)
    sources_file: str | None = None

    @property
    def shares(self) -> dict[str, float]:
        """Share of the trade value per class, in percent (summing to 100)."""
        if self.total <= 0:
            return dict.fromkeys(CLASSES, 0.0)
        return {k: 100.0 * self.value.get(k, 0.0) / self.total for k in CLASSES}

    def sentence(self) -> str:
        """One line, e.g. ``trade value 96.0% measured, 4.0% estimated, 0.0% imputed``."""
        return describe_shares(self.shares)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (for run manifests)."""
        return {"total": self.total, "unit": self.unit, "shares_pct": self.shares,
                "value": dict(self.value), "rows": dict(self.rows),
                "sources_file": self.sources_file}


def describe_shares(shares: Mapping[str, float]) -> str:
    """One line from shares in percent (as :attr:`Provenance.shares` or a run manifest's
    ``dataset.provenance.shares_pct`` give them)."""
    parts = [f"{float(shares.get(k, 0.0)):.1f}% {k}" for k in CLASSES[:3]]
    if float(shares.get("unspecified", 0.0)) > 0.05:
        parts.append(f"{float(shares['unspecified']):.1f}% without a stated source")
    return "trade value " + ", ".join(parts)


def trade_provenance(name: str, trade: np.ndarray, trade_sources: pd.DataFrame | None,
                     codes: list[str], unit: str = "", sources: Mapping[str, str] | None = None,
                     sources_file: str | None = None) -> Provenance:
    """Sum the off-diagonal trade value of a dataset by class of provenance.

    Args:
        name: Dataset name.
        trade: ``(N, N)`` trade matrix (``[exporter, importer]``).
        trade_sources: Per-row provenance with ``exporter, importer, source`` and optionally
            ``confidence`` (as :class:`~worldorder.data.world.World` keeps it), or None.
        codes: Economy codes in matrix order.
        unit: Trade unit.
        sources: Per-table sources.
        sources_file: Path of the dataset's ``SOURCES.md``, if any.
    """
    x = np.asarray(trade, dtype=float).copy()
    np.fill_diagonal(x, 0.0)
    total = float(x.sum())
    value = dict.fromkeys(CLASSES, 0.0)
    rows = dict.fromkeys(CLASSES, 0)
    if trade_sources is None or trade_sources.empty:
        value["unspecified"] = total
        rows["unspecified"] = int(np.count_nonzero(x))
    else:
        pos = {c: k for k, c in enumerate(codes)}
        ts = trade_sources
        j = ts["exporter"].map(pos).to_numpy(dtype=int)
        i = ts["importer"].map(pos).to_numpy(dtype=int)
        conf = ts["confidence"] if "confidence" in ts.columns else pd.Series("", index=ts.index)
        cls = classify_many(conf, ts["source"])
        v = x[j, i]
        for k in CLASSES:
            mask = cls == k
            value[k] = float(v[mask].sum())
            rows[k] = int(np.count_nonzero(mask & (j != i)))
        # flows in the matrix without a row of provenance (not possible for a loaded folder)
        value["unspecified"] += max(total - float(v[j != i].sum()), 0.0)
    return Provenance(dataset=name, total=total, unit=unit, value=value, rows=rows,
                      sources=dict(sources or {}), sources_file=sources_file)

"""The World: economies and the relations between them.

A :class:`World` is the data layer every other layer stands on. It holds, for one year:

* economies (GDP, population, military expenditure, region) in a pandas DataFrame;
* the bilateral goods-trade matrix ``trade[j, i]``: the flow from exporter ``j`` to importer ``i``
  at producer prices (domestic flows on the diagonal only when the dataset gives them);
* the baseline applied tariff matrix ``tariffs[j, i]``: importer ``i``'s ad valorem rate on goods
  from exporter ``j``;
* groups (customs unions and blocs), memberships of organisations and alliances.

Worlds are immutable; the policy layers build new tariff matrices rather than editing a World.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import tomli_w

from worldorder.data import validate as v
from worldorder.data.provenance import Provenance, trade_provenance
from worldorder.errors import DataError

__all__ = ["World"]


@dataclass(frozen=True, eq=False)
class World:
    """A validated dataset: economies, trade, tariffs, groups, memberships and alliances.

    Build one with :func:`worldorder.load_world` (from a dataset folder or a bundled name) or
    :meth:`World.from_frames` (from pandas DataFrames or NumPy arrays).

    Attributes:
        name: Dataset name.
        year: Reference year of the data.
        economies: One row per economy, indexed by ``code``; at least ``name`` and ``gdp``.
        trade: ``(N, N)`` array, ``trade[j, i]`` = goods flow from ``j`` to ``i``.
        tariffs: ``(N, N)`` array of baseline ad valorem rates, ``tariffs[j, i]`` charged by ``i``.
        groups: Group name to member codes (e.g. ``EU``).
        memberships: Columns ``economy, organization, since, until``.
        alliances: Columns ``a, b, treaty``.
        units: Unit of each value table (``trade``, ``gdp``, ...).
        currency: Currency of values.
        domestic_flows: True when ``trade`` holds measured domestic flows on its diagonal.
        sources: Source of each table (publication, year).
        description: Free text.
        trade_sources: Per-pair provenance (``exporter, importer, source`` and
            ``confidence`` when the table has it), when given.
        constituents: Member countries (ISO3) of aggregate economies such as ``EU-REST``; an
            economy ``ROW`` without constituents stands for every country not covered.
        path: The folder the dataset was read from, if any.
    """

    name: str
    year: int | None
    economies: pd.DataFrame
    trade: np.ndarray
    tariffs: np.ndarray
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    memberships: pd.DataFrame = field(default_factory=pd.DataFrame)
    alliances: pd.DataFrame = field(default_factory=pd.DataFrame)
    units: Mapping[str, str] = field(default_factory=dict)
    currency: str = "USD"
    domestic_flows: bool = False
    sources: Mapping[str, str] = field(default_factory=dict)
    description: str = ""
    trade_sources: pd.DataFrame | None = None
    constituents: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    path: Path | None = None

    # ------------------------------------------------------------------ basics
    @property
    def codes(self) -> list[str]:
        """Economy codes in matrix order (a fresh list; built from the index once)."""
        cached = self.__dict__.get("_codes_cache")
        if cached is None:
            cached = tuple(str(c) for c in self.economies.index)
            object.__setattr__(self, "_codes_cache", cached)
        return list(cached)

    @property
    def n(self) -> int:
        """Number of economies."""
        return len(self.economies)

    @property
    def gdp(self) -> np.ndarray:
        """GDP of each economy, in the trade unit."""
        return self.economies["gdp"].to_numpy(dtype=float)

    def index(self, code: str) -> int:
        """Matrix position of an economy code.

        Raises:
            KeyError: With a message that names the unknown code.
        """
        try:
            return self._positions[code]
        except KeyError:
            raise KeyError(f"unknown economy {code!r} in dataset {self.name!r}") from None

    @property
    def _positions(self) -> dict[str, int]:
        cached = self.__dict__.get("_pos_cache")
        if cached is None:
            cached = {c: k for k, c in enumerate(self.economies.index)}
            object.__setattr__(self, "_pos_cache", cached)
        return cached

    def expand(self, names: str | Iterable[str]) -> list[str]:
        """Expand economy codes and group names into economy codes, in matrix order.

        ``"all"`` stands for every economy. A group (e.g. ``EU``) stands for its members.

        Raises:
            KeyError: When a name is neither an economy nor a group.
        """
        if isinstance(names, str):
            names = [names]
        chosen: set[str] = set()
        for name in names:
            if name == "all":
                chosen.update(self.codes)
            elif name in self._positions:
                chosen.add(name)
            elif name in self.groups:
                chosen.update(self.groups[name])
            else:
                raise KeyError(
                    f"{name!r} is neither an economy nor a group of dataset {self.name!r}"
                )
        return [c for c in self.codes if c in chosen]

    def is_known(self, name: str) -> bool:
        """True when ``name`` is an economy code, a group name or ``all``."""
        return name == "all" or name in self._positions or name in self.groups

    def members(self, organization: str, *, on: str | None = None) -> list[str]:
        """Economies that belong to ``organization`` (on an ISO date, default: any time listed)."""
        if self.memberships.empty:
            return []
        m = self.memberships[self.memberships["organization"] == organization]
        if on is not None:
            since = m["since"].fillna("").astype(str)
            until = m["until"].fillna("").astype(str)
            ok = ((since == "") | (since <= on)) & ((until == "") | (until > on))
            m = m[ok]
        chosen = set(m["economy"])
        return [c for c in self.codes if c in chosen]

    # ------------------------------------------------------------------ derived
    def imports(self) -> np.ndarray:
        """International imports of each economy (column sums without the diagonal)."""
        x = self.trade.copy()
        np.fill_diagonal(x, 0.0)
        return x.sum(axis=0)

    def exports(self) -> np.ndarray:
        """International exports of each economy (row sums without the diagonal)."""
        x = self.trade.copy()
        np.fill_diagonal(x, 0.0)
        return x.sum(axis=1)

    def fingerprint(self) -> str:
        """A SHA-256 hash of the numbers that determine model results (codes, GDP, trade,
        tariffs), stable across platforms; used in run manifests."""
        h = hashlib.sha256()
        h.update("\x1f".join(self.codes).encode())
        for arr in (self.gdp, self.trade, self.tariffs):
            with np.errstate(over="ignore", invalid="ignore"):  # beyond 1e15 nothing to round
                rounded = np.where(np.abs(arr) < 1e15, np.round(arr, 12), arr)
            h.update(np.ascontiguousarray(rounded, dtype="<f8").tobytes())
        h.update(str(self.domestic_flows).encode())
        return h.hexdigest()

    def provenance_summary(self) -> Provenance:
        """How much of the trade value is measured, estimated or imputed, with the sources.

        Rows are classed by their ``confidence`` (see :mod:`worldorder.data.provenance`);
        ``.shares`` gives percentages of the international trade value, ``.sentence()`` one
        line for a summary, ``.sources`` the per-table sources and ``.sources_file`` the
        dataset's ``SOURCES.md`` when its folder has one.
        """
        cached = self.__dict__.get("_provenance_cache")
        if cached is None:
            doc = self.path / "SOURCES.md" if self.path is not None else None
            cached = trade_provenance(
                self.name, self.trade, self.trade_sources, self.codes,
                unit=self.units.get("trade", ""), sources=self.sources,
                sources_file=str(doc) if doc is not None and doc.is_file() else None)
            object.__setattr__(self, "_provenance_cache", cached)
        return cached

    def with_tariffs(self, tariffs: np.ndarray) -> World:
        """A copy of this World with another baseline tariff matrix."""
        from dataclasses import replace

        t = np.asarray(tariffs, dtype=float)
        if t.shape != self.trade.shape:
            raise ValueError(f"tariff matrix has shape {t.shape}, expected {self.trade.shape}")
        return replace(self, tariffs=t)

    def trade_frame(self) -> pd.DataFrame:
        """Trade as a long DataFrame (``exporter, importer, value``), non-zero pairs only."""
        j, i = np.nonzero(self.trade)
        codes = np.asarray(self.codes)
        return pd.DataFrame(
            {"exporter": codes[j], "importer": codes[i], "value": self.trade[j, i]}
        )

    def summary(self) -> dict[str, object]:
        """Headline figures of the dataset (for ``worldorder data show``)."""
        imp = self.imports()
        return {
            "name": self.name,
            "year": self.year,
            "economies": self.n,
            "trade_unit": self.units.get("trade", ""),
            "world_gdp": float(self.gdp.sum()),
            "world_trade": float(imp.sum()),
            "trade_pairs": int(np.count_nonzero(self.trade)
                               - np.count_nonzero(np.diag(self.trade))),
            "tariff_pairs": int(np.count_nonzero(self.tariffs)),
            "groups": len(self.groups),
            "organizations": int(self.memberships["organization"].nunique())
            if not self.memberships.empty else 0,
            "alliance_pairs": len(self.alliances),
        }

    def save(self, folder: str | Path) -> Path:
        """Write this World as a dataset folder (the format :func:`load_dataset` reads).

        The folder must not exist or be empty; nothing is overwritten.
        """
        out = Path(folder)
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise DataError(f"{out}: exists and is not empty; nothing was written")
        out.mkdir(parents=True, exist_ok=True)
        units = dict(self.units) or {"trade": self.currency, "gdp": self.currency}
        meta: dict[str, object] = {"name": str(self.name)}
        if self.year is not None:
            meta["year"] = int(self.year)
        meta.update(description=str(self.description), currency=str(self.currency),
                    domestic_flows=bool(self.domestic_flows),
                    units={str(k): str(v) for k, v in units.items()},
                    sources={str(k): str(v) for k, v in self.sources.items()})
        # tomli-w quotes and escapes every key and string (newlines, quotes, backslashes,
        # control characters), so whatever the strings hold the loader reads them back
        (out / "dataset.toml").write_text(tomli_w.dumps(meta), encoding="utf-8")
        self.economies.reset_index().to_csv(out / "economies.csv", index=False)
        trade = self.trade_frame()
        if not self.domestic_flows:
            trade = trade[trade["exporter"] != trade["importer"]]
        trade.to_csv(out / "trade.csv", index=False, float_format="%.10g")
        j, i = np.nonzero(self.tariffs)
        codes = np.asarray(self.codes)
        if len(j):
            pd.DataFrame({"importer": codes[i], "exporter": codes[j],
                          "rate": self.tariffs[j, i]}).to_csv(out / "tariffs.csv", index=False)
        if self.groups:
            pd.DataFrame([(g, m) for g, ms in self.groups.items() for m in ms],
                         columns=["group", "member"]).to_csv(out / "groups.csv", index=False)
        if not self.memberships.empty:
            self.memberships.to_csv(out / "memberships.csv", index=False)
        if not self.alliances.empty:
            self.alliances.to_csv(out / "alliances.csv", index=False)
        if self.constituents:
            pd.DataFrame([(e, c) for e, cs in self.constituents.items() for c in cs],
                         columns=["economy", "country"]).to_csv(out / "constituents.csv",
                                                                index=False)
        return out

    def countries(self) -> dict[str, str]:
        """Map ISO3 country codes to the economy that contains them (for maps).

        Economies with ISO3-like codes stand for themselves, aggregates for their constituents;
        ``ROW`` is not expanded here (it is every other country).
        """
        out: dict[str, str] = {}
        for code in self.codes:
            if code in self.constituents:
                out.update({c: code for c in self.constituents[code]})
            elif len(code) == 3 and code.isalpha() and code != "ROW":
                out[code] = code
        return out

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_frames(
        cls,
        economies: pd.DataFrame,
        trade: pd.DataFrame | np.ndarray,
        *,
        tariffs: pd.DataFrame | np.ndarray | None = None,
        groups: pd.DataFrame | Mapping[str, Iterable[str]] | None = None,
        memberships: pd.DataFrame | None = None,
        alliances: pd.DataFrame | None = None,
        name: str = "user",
        year: int | None = None,
        units: Mapping[str, str] | None = None,
        currency: str = "USD",
        domestic_flows: bool = False,
        sources: Mapping[str, str] | None = None,
        description: str = "",
    ) -> World:
        """Build a validated World from pandas DataFrames or NumPy arrays.

        Args:
            economies: Columns ``code``, ``name``, ``gdp`` (plus optional ``population``,
                ``military_expenditure``, ``region``); or indexed by code.
            trade: Long DataFrame (``exporter, importer, value``) or an ``(N, N)`` array whose
                ``[j, i]`` entry is the flow from economy ``j`` to ``i`` in ``economies`` order.
            tariffs: Long DataFrame (``importer, exporter, rate``) or ``(N, N)`` array
                ``[j, i]``: rate charged by ``i`` on ``j``.
            groups: Long DataFrame (``group, member``) or a mapping group -> members.
            memberships: Columns ``economy, organization`` and optional ``since, until``.
            alliances: Columns ``a, b, treaty``.
            name: Dataset name.
            year: Reference year.
            units: Units of the value tables; ``trade`` and ``gdp`` must agree.
            currency: Currency of the values.
            domestic_flows: Whether ``trade`` includes domestic (diagonal) flows.
            sources: Source of each table.
            description: Free text.

        Raises:
            DataError: With a one-line message naming the table, row and field.
        """
        econ = economies.reset_index() if "code" not in economies.columns else economies
        econ = econ.copy()
        econ_t = v.table_from_frame(econ, "economies")
        # arrays stay arrays: validated as a whole, in O(N²) array operations
        trade_t = (v.MatrixTable("trade", trade) if isinstance(trade, np.ndarray)
                   else v.table_from_frame(trade, "trade"))
        tariffs_t = (v.MatrixTable("tariffs", tariffs) if isinstance(tariffs, np.ndarray)
                     else v.table_from_frame(tariffs, "tariffs") if tariffs is not None
                     else None)
        if groups is not None and not isinstance(groups, pd.DataFrame):
            groups = pd.DataFrame(
                [(g, m) for g, ms in groups.items() for m in ms], columns=["group", "member"]
            )
        tables = {
            "economies": econ_t,
            "trade": trade_t,
            "tariffs": tariffs_t,
            "groups": v.table_from_frame(groups, "groups") if groups is not None else None,
            "memberships": v.table_from_frame(memberships, "memberships")
            if memberships is not None else None,
            "alliances": v.table_from_frame(alliances, "alliances")
            if alliances is not None else None,
        }
        meta = {
            "name": name,
            "year": year,
            "units": dict(units or {"trade": currency, "gdp": currency}),
            "currency": currency,
            "domestic_flows": domestic_flows,
            "sources": dict(sources or {}),
            "description": description,
        }
        return cls(**v.build_world(tables, meta, path=None))


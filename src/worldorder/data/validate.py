"""Validation of dataset tables into a :class:`~worldorder.data.world.World`.

Every check fails with one :class:`~worldorder.errors.DataError` whose message names the file
(or DataFrame), the line and the field, e.g.::

    economies.csv, line 7, field 'gdp': 'n/a' is not a number

Tables arrive as strings (so that nothing is silently coerced) and are converted here.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import re
import tomllib
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from worldorder.errors import DataError

CODE_RE = re.compile(r"^[A-Z0-9_-]{2,12}$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

REQUIRED = {
    "economies": ("code", "name", "gdp"),
    "trade": ("exporter", "importer", "value"),
    "tariffs": ("importer", "exporter", "rate"),
    "groups": ("group", "member"),
    "memberships": ("economy", "organization"),
    "alliances": ("a", "b", "treaty"),
    "constituents": ("economy", "country"),
}
OPTIONAL_FILES = ("tariffs", "groups", "memberships", "alliances", "constituents")
ISO3_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Table:
    """A table of strings with the label used in error messages.

    Attributes:
        label: ``economies.csv`` for a file, ``economies`` for a DataFrame.
        df: The cells as strings (empty string for missing).
        first_line: The number that the first data row carries in messages (2 for a CSV whose
            line 1 is the header, 1 for a DataFrame).
        unit: ``line`` for files, ``row`` for DataFrames.
    """

    label: str
    df: pd.DataFrame
    first_line: int = 2
    unit: str = "line"

    def where(self, pos: int, field: str | None = None) -> str:
        """The location of data row ``pos`` (0-based), as used in messages."""
        loc = f"{self.label}, {self.unit} {pos + self.first_line}"
        return f"{loc}, field {field!r}" if field else loc


def table_from_frame(df: pd.DataFrame | None, name: str) -> Table:
    """Wrap a user DataFrame as a string :class:`Table` labelled with the table name."""
    if df is None:
        raise DataError(f"{name}: no table given")
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"{name}: expected a pandas DataFrame, got {type(df).__name__}")
    out = df.reset_index(drop=True).copy()
    out.columns = [str(c).strip() for c in out.columns]
    for c in out.columns:
        col = out[c]
        out[c] = np.where(col.isna(), "", col.astype(str).str.strip())
    return Table(label=name, df=out, first_line=1, unit="row")


def _header(path: Path) -> list[str]:
    """The column names on the first line of a CSV file (empty if unreadable: the full read
    reports that)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
            return [c.strip() for c in next(csv.reader(fh), [])]
    except (OSError, EOFError, UnicodeDecodeError, csv.Error, zlib.error):
        return []


# a quote after spaces that start a field: pandas (skipinitialspace) reads it as quoting, a
# plain CSV reader as text, so such files take the pandas path
_SPACED_QUOTE = re.compile(rb'(^|[,\r\n])[ \t]+"')


def _read_csv_arrow(path: Path, names: list[str]) -> pd.DataFrame | None:
    """The cells of a well-formed CSV file as stripped strings, read by pyarrow's CSV reader
    (several times faster than pandas' on the bundled datasets); ``None`` for anything else
    (no header, a quote after leading spaces, a row of another length, bytes that are not
    UTF-8, a damaged gzip file), which :func:`read_csv_table` then reads with pandas, so that
    its messages are unchanged. Gives the same frame as the pandas path (strings, empty cells
    empty, a first-line BOM dropped); ``tests/data/test_validate.py`` compares the two."""
    if not names or any(not c for c in names):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read()
        else:
            data = path.read_bytes()
    except (OSError, EOFError, zlib.error):
        return None
    if (b' "' in data or b'\t"' in data) and _SPACED_QUOTE.search(data):
        return None
    try:
        table = pcsv.read_csv(
            pa.BufferReader(data),
            read_options=pcsv.ReadOptions(use_threads=False, column_names=names, skip_rows=1),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowException, ValueError):
        return None
    # the kernel pandas' ``str.strip()`` applies to text stored in Arrow
    return pa.table([pc.utf8_trim_whitespace(col) for col in table.columns],
                    names=names).to_pandas()


def read_csv_table(path: Path) -> Table:
    """Read a CSV file (plain, or gzip-compressed when its name ends in ``.gz``) as strings,
    keeping empty cells empty.

    Raises:
        DataError: Unreadable, not UTF-8, or a column name given twice (pandas would rename
            the second one and it would be ignored).
    """
    names = _header(path)
    twice = [c for k, c in enumerate(names) if c and c in names[:k]]
    if twice:
        raise DataError(f"{path.name}, line 1: column {twice[0]!r} is given twice")
    df = _read_csv_arrow(path, names)
    if df is not None:
        return Table(label=path.name, df=df)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True,
                         comment=None, encoding="utf-8-sig", compression="infer")
    except pd.errors.EmptyDataError:
        raise DataError(f"{path.name}: the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        msg = str(exc).strip().splitlines()[-1]
        raise DataError(f"{path.name}: cannot be read as CSV ({msg})") from None
    except (OSError, EOFError, zlib.error) as exc:  # a damaged or truncated gzip file
        raise DataError(f"{path.name}: cannot be decompressed ({exc})") from None
    df.columns = [str(c).strip() for c in df.columns]
    for c in df.columns:
        df[c] = df[c].str.strip()
    return Table(label=path.name, df=df)


def _require_columns(t: Table, name: str) -> None:
    missing = [c for c in REQUIRED[name] if c not in t.df.columns]
    if missing:
        raise DataError(
            f"{t.label}: missing column {missing[0]!r} (required: {', '.join(REQUIRED[name])})"
        )


def _numbers(t: Table, field: str, *, required: bool, min_value: float | None = 0.0,
             strict_min: bool = False) -> np.ndarray:
    """Convert a column to floats; empty cells are NaN unless ``required``."""
    raw = t.df[field]
    num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    empty = (raw == "").to_numpy()
    bad = np.isnan(num) & ~empty | ~np.isfinite(num) & ~np.isnan(num)
    if bad.any():
        k = int(np.argmax(bad))
        raise DataError(f"{t.where(k, field)}: {raw.iloc[k]!r} is not a number")
    if required and empty.any():
        k = int(np.argmax(empty))
        raise DataError(f"{t.where(k, field)}: missing value")
    if min_value is not None:
        low = (num <= min_value) if strict_min else (num < min_value)
        low &= ~np.isnan(num)
        if low.any():
            k = int(np.argmax(low))
            word = "must be positive" if strict_min and min_value == 0 else (
                "must not be negative" if min_value == 0 else f"must be at least {min_value}")
            raise DataError(f"{t.where(k, field)}: {raw.iloc[k]!r} {word}")
    return num


def _codes(t: Table, field: str, known: Mapping[str, int], *, what: str = "economy") -> np.ndarray:
    col = t.df[field]
    empty = (col == "").to_numpy()
    if empty.any():
        k = int(np.argmax(empty))
        raise DataError(f"{t.where(k, field)}: missing {what} code")
    positions = pd.Index(list(known)).get_indexer(col)  # one hash lookup per row
    unknown = positions < 0
    if unknown.any():
        k = int(np.argmax(unknown))
        raise DataError(f"{t.where(k, field)}: unknown {what} {col.iloc[k]!r}")
    return np.asarray(list(known.values()), dtype=int)[positions]


def _duplicates(t: Table, fields: list[str], what: str) -> None:
    dup = t.df.duplicated(subset=fields, keep="first").to_numpy()
    if dup.any():
        k = int(np.argmax(dup))
        first = t.df[fields].eq(t.df.loc[k, fields]).all(axis=1).to_numpy().argmax()
        vals = "/".join(str(t.df.loc[k, f]) for f in fields)
        raise DataError(
            f"{t.where(k, fields[0])}: duplicate {what} {vals} (first at {t.unit} "
            f"{first + t.first_line})"
        )


def _is_date(text: str) -> bool:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a real month or day."""
    if not DATE_RE.match(text):
        return False
    try:
        dt.date.fromisoformat(text if len(text) == 10 else
                              f"{text}-01" if len(text) == 7 else f"{text}-01-01")
    except ValueError:
        return False
    return True


def _dates(t: Table, field: str) -> None:
    if field not in t.df.columns:
        return
    col = t.df[field]
    bad = ~(col.eq("") | col.map(_is_date)).to_numpy(dtype=bool)
    if bad.any():
        k = int(np.argmax(bad))
        raise DataError(f"{t.where(k, field)}: {col.iloc[k]!r} is not a year or ISO date")


# ---------------------------------------------------------------------------------------------
def validate_economies(t: Table) -> pd.DataFrame:
    """Check ``economies``: codes, names, GDP and the optional numeric columns."""
    _require_columns(t, "economies")
    df = t.df
    if df.empty:
        raise DataError(f"{t.label}: no economies")
    bad = ~df["code"].str.match(CODE_RE).to_numpy()
    if bad.any():
        k = int(np.argmax(bad))
        raise DataError(
            f"{t.where(k, 'code')}: {df['code'].iloc[k]!r} is not a valid code "
            "(2-12 characters A-Z, 0-9, _ or -)"
        )
    _duplicates(t, ["code"], "economy code")
    out = df.copy()
    out["gdp"] = _numbers(t, "gdp", required=True, min_value=0.0, strict_min=True)
    for opt in ("population", "military_expenditure"):
        if opt in df.columns:
            out[opt] = _numbers(t, opt, required=False)
    return out.set_index("code")


@dataclass(frozen=True)
class MatrixTable:
    """A pair table given as an (N, N) array ``[j, i]`` (exporter j, importer i), in the order
    of the economies: validated with array operations, never turned into N² rows of strings."""

    label: str
    matrix: np.ndarray
    df: pd.DataFrame = field(default_factory=pd.DataFrame)  # no per-row columns (no source)


def _matrix_pairs(t: MatrixTable, codes: list[str], value: str, *,
                  allow_self: bool) -> np.ndarray:
    """Validate an (N, N) pair array: finite, not negative, zero diagonal unless allowed."""
    n = len(codes)
    a = np.asarray(t.matrix, dtype=float)
    if a.shape != (n, n):
        raise DataError(f"{t.label}: array has shape {a.shape}, expected ({n}, {n}) to match "
                        "the economies")

    def where(mask: np.ndarray) -> str:
        j, i = (int(x) for x in np.argwhere(mask)[0])
        return (f"{t.label}: entry [{j}, {i}] (exporter {codes[j]!r}, importer {codes[i]!r}), "
                f"field {value!r}: {float(a[j, i])!r}")

    bad = ~np.isfinite(a)
    if bad.any():
        raise DataError(f"{where(bad)} is not a number")
    if (a < 0).any():
        raise DataError(f"{where(a < 0)} must not be negative")
    if not allow_self and np.diagonal(a).any():
        diag = np.eye(n, dtype=bool) & (a != 0)
        extra = (" (domestic flows are derived by the model; pass domestic_flows=True to give "
                 "them)") if value == "value" else ""
        raise DataError(f"{where(diag)}: an economy cannot be its own partner{extra}")
    return a.copy()


def _pairs(t: Table | MatrixTable, name: str, a: str, b: str, value: str, pos: dict[str, int],
           n: int, *, allow_self: bool) -> np.ndarray:
    if isinstance(t, MatrixTable):
        return _matrix_pairs(t, list(pos), value, allow_self=allow_self)
    _require_columns(t, name)
    ia = _codes(t, a, pos)
    ib = _codes(t, b, pos)
    vals = _numbers(t, value, required=True)
    if not allow_self:
        same = ia == ib
        if same.any():
            k = int(np.argmax(same))
            raise DataError(
                f"{t.where(k, b)}: {a} and {b} are both {t.df[a].iloc[k]!r} "
                f"(domestic flows are derived by the model; set domestic_flows = true in "
                "dataset.toml to give them)" if name == "trade" else
                f"{t.where(k, b)}: {a} and {b} are both {t.df[a].iloc[k]!r}"
            )
    _duplicates(t, [a, b], "pair")
    mat = np.zeros((n, n))
    if name == "tariffs":  # rows name importer then exporter; matrix is [exporter, importer]
        mat[ib, ia] = vals
    else:
        mat[ia, ib] = vals
    return mat


def build_world(tables: Mapping[str, Table | None], meta: Mapping[str, Any],
                path: Path | None) -> dict[str, Any]:
    """Validate tables and metadata into the fields of a :class:`~worldorder.data.world.World`
    (``World(**fields)``)."""
    units = dict(meta.get("units") or {})
    label = "dataset.toml" if path is not None else "units"
    tu, gu = units.get("trade"), units.get("gdp")
    if tu and gu and tu.strip().lower() != gu.strip().lower():
        raise DataError(
            f"{label}: units.gdp {gu!r} differs from units.trade {tu!r}; GDP and trade must "
            "be in the same currency and scale"
        )
    econ = validate_economies(tables["economies"])  # type: ignore[arg-type]
    codes = list(econ.index)
    pos = {c: k for k, c in enumerate(codes)}
    n = len(codes)
    domestic = bool(meta.get("domestic_flows", False))

    tt = tables["trade"]
    assert tt is not None
    trade = _pairs(tt, "trade", "exporter", "importer", "value", pos, n, allow_self=domestic)
    off = trade.copy()
    np.fill_diagonal(off, 0.0)
    no_trade = (off.sum(axis=0) + off.sum(axis=1)) == 0
    if no_trade.any():
        c = codes[int(np.argmax(no_trade))]
        raise DataError(f"{tt.label}: economy {c!r} has no trade with any other economy")
    trade_sources = None
    if "source" in tt.df.columns:
        keep = ["exporter", "importer", "source"]
        keep += ["confidence"] if "confidence" in tt.df.columns else []
        trade_sources = tt.df[keep].copy()

    tariffs = np.zeros((n, n))
    tf = tables.get("tariffs")
    if tf is not None:
        tariffs = _pairs(tf, "tariffs", "importer", "exporter", "rate", pos, n,
                         allow_self=False)

    groups: dict[str, tuple[str, ...]] = {}
    gt = tables.get("groups")
    if gt is not None:
        _require_columns(gt, "groups")
        gcol = gt.df["group"]
        bad = ~gcol.str.match(CODE_RE).to_numpy()
        if bad.any():
            k = int(np.argmax(bad))
            raise DataError(f"{gt.where(k, 'group')}: {gcol.iloc[k]!r} is not a valid group name")
        clash = gcol.isin(pos.keys()).to_numpy()
        if clash.any():
            k = int(np.argmax(clash))
            raise DataError(
                f"{gt.where(k, 'group')}: group {gcol.iloc[k]!r} has the code of an economy"
            )
        _codes(gt, "member", pos)
        _duplicates(gt, ["group", "member"], "membership")
        for g, sub in gt.df.groupby("group", sort=False):
            members = set(sub["member"])
            groups[str(g)] = tuple(c for c in codes if c in members)

    memberships = pd.DataFrame(columns=["economy", "organization", "since", "until"])
    mt = tables.get("memberships")
    if mt is not None:
        _require_columns(mt, "memberships")
        _codes(mt, "economy", pos)
        empty_org = (mt.df["organization"] == "").to_numpy()
        if empty_org.any():
            k = int(np.argmax(empty_org))
            raise DataError(f"{mt.where(k, 'organization')}: missing organization")
        _dates(mt, "since")
        _dates(mt, "until")
        keys = ["economy", "organization"] + (["since"] if "since" in mt.df.columns else [])
        _duplicates(mt, keys, "membership")
        memberships = mt.df.copy()
        for c in ("since", "until"):
            if c not in memberships.columns:
                memberships[c] = ""

    alliances = pd.DataFrame(columns=["a", "b", "treaty"])
    at = tables.get("alliances")
    if at is not None:
        _require_columns(at, "alliances")
        ia = _codes(at, "a", pos)
        ib = _codes(at, "b", pos)
        same = ia == ib
        if same.any():
            k = int(np.argmax(same))
            raise DataError(f"{at.where(k, 'b')}: an economy cannot be allied with itself")
        key = pd.DataFrame({"lo": np.minimum(ia, ib), "hi": np.maximum(ia, ib),
                            "treaty": at.df["treaty"]})
        dup = key.duplicated().to_numpy()
        if dup.any():
            k = int(np.argmax(dup))
            raise DataError(f"{at.where(k, 'treaty')}: duplicate alliance pair")
        alliances = at.df.copy()

    constituents: dict[str, tuple[str, ...]] = {}
    ct = tables.get("constituents")
    if ct is not None:
        _require_columns(ct, "constituents")
        _codes(ct, "economy", pos)
        bad = ~ct.df["country"].str.match(ISO3_RE).to_numpy()
        if bad.any():
            k = int(np.argmax(bad))
            raise DataError(f"{ct.where(k, 'country')}: {ct.df['country'].iloc[k]!r} is not an "
                            "ISO 3166 alpha-3 country code")
        _duplicates(ct, ["country"], "country")
        for e, sub in ct.df.groupby("economy", sort=False):
            constituents[str(e)] = tuple(sub["country"])

    return dict(
        name=str(meta.get("name") or (path.name if path else "user")),
        year=int(meta["year"]) if meta.get("year") not in (None, "") else None,
        economies=econ,
        trade=trade,
        tariffs=tariffs,
        groups=groups,
        memberships=memberships,
        alliances=alliances,
        units=units,
        currency=str(meta.get("currency") or "USD"),
        domestic_flows=domestic,
        sources=dict(meta.get("sources") or {}),
        description=str(meta.get("description") or ""),
        trade_sources=trade_sources,
        constituents=constituents,
        path=path,
    )


def read_metadata(folder: Path) -> dict[str, Any]:
    """Read and check ``dataset.toml``."""
    f = folder / "dataset.toml"
    if not f.is_file():
        raise DataError(f"{folder}: no dataset.toml (a dataset is a folder with dataset.toml, "
                        "economies.csv and trade.csv)")
    try:
        data = f.read_bytes()
    except OSError as exc:
        raise DataError(f"dataset.toml: cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(f"dataset.toml: not UTF-8 text (byte 0x{data[exc.start]:02x} on line "
                        f"{line}); save it as UTF-8") from None
    try:
        meta = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"dataset.toml: {exc}") from None
    check_metadata(meta)
    for key in ("trade_unit", "gdp_unit"):  # flat form accepted too
        if key in meta:
            meta.setdefault("units", {})[key.removesuffix("_unit")] = meta[key]
    return meta


def check_metadata(meta: Mapping[str, Any], label: str = "dataset.toml") -> None:
    """The types of the metadata fields: text, whole years (not ``true``), tables of text.

    Raises:
        DataError: Naming the field, e.g. ``dataset.toml, field 'units.trade': must be text``.
    """
    def text(key: str, value: Any) -> None:
        if not isinstance(value, str):
            raise DataError(f"{label}, field {key!r}: must be text, e.g. \"USD billion\" "
                            f"(got {value!r})" if key.startswith("units") or key.endswith(
                                "_unit") else f"{label}, field {key!r}: must be text "
                            f"(got {value!r})")

    for key in ("name", "description", "currency", "trade_unit", "gdp_unit"):
        if key in meta:
            text(key, meta[key])
    for key in ("units", "sources"):
        if key in meta:
            if not isinstance(meta[key], Mapping):
                raise DataError(f"{label}, field {key!r}: must be a table, e.g. [{key}]")
            for sub, value in meta[key].items():
                text(f"{key}.{sub}", value)
    year = meta.get("year")
    if "year" in meta and (not isinstance(year, int) or isinstance(year, bool)
                           or not 1000 <= year <= 9999):
        raise DataError(f"{label}, field 'year': {year!r} is not a whole year")
    if "domestic_flows" in meta and not isinstance(meta["domestic_flows"], bool):
        raise DataError(f"{label}, field 'domestic_flows': must be true or false")


# Magnitudes the model computes with safely: products of two values stay far from overflow
# (1.8e308) and underflow, and sums across economies keep the smallest one's digits.
SAFE_RANGE = (1e-100, 1e100)
MAX_SPREAD = 1e10


def data_warnings(world: Any) -> list[str]:
    """Warnings about magnitudes that threaten precision (not errors: the data may be right).

    * a GDP or trade value outside :data:`SAFE_RANGE` (products overflow or underflow);
    * the largest GDP more than :data:`MAX_SPREAD` times the smallest (sums over economies keep
      about 16 significant digits, so the smallest economies' results would keep fewer than 6).
    """
    out = []
    gdp = np.asarray(world.gdp, dtype=float)
    codes = list(world.codes)
    unit = world.units.get("gdp") or world.units.get("trade") or ""
    label = "economies.csv" if world.path is not None else "economies"
    big, small = int(np.argmax(gdp)), int(np.argmin(gdp))
    if gdp[big] > SAFE_RANGE[1] or gdp[small] < SAFE_RANGE[0] or \
            gdp[big] > MAX_SPREAD * gdp[small]:
        k = big if gdp[big] / np.sqrt(SAFE_RANGE[1]) >= np.sqrt(SAFE_RANGE[0]) / gdp[small] \
            else small
        out.append(f"{label}: GDP of {codes[k]} is {gdp[k]:.3g} {unit}".rstrip() +
                   f" ({gdp[big] / gdp[small]:.3g} times the smallest's, {codes[small]}); "
                   "results lose precision at such magnitudes: check the units")
    trade = np.asarray(world.trade, dtype=float)
    positive = trade[trade > 0]
    if positive.size and (positive.max() > SAFE_RANGE[1] or positive.min() < SAFE_RANGE[0]):
        out.append(f"{'trade.csv' if world.path is not None else 'trade'}: values from "
                   f"{positive.min():.3g} to {positive.max():.3g} {unit}".rstrip() +
                   "; results lose precision at such magnitudes: check the units")
    return out

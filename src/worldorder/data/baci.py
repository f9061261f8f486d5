"""Import CEPII BACI bilateral trade data into a worldorder dataset folder.

BACI (Gaulier & Zignago 2010, "BACI: International Trade Database at the Product-Level", CEPII
working paper 2010-23) reconciles the exporter and importer declarations of UN Comtrade into
one value per exporter, importer, HS6 product and year. A release consists of one trade file
per year, e.g. ``BACI_HS17_Y2022_V202401.csv`` with the columns

* ``t``: year,
* ``i``: exporter (numeric country code),
* ``j``: importer (numeric country code),
* ``k``: HS6 product code (may carry leading zeros; never parsed here),
* ``v``: value in thousand current US dollars,
* ``q``: quantity in metric tons, possibly blank or ``NA`` (not used here),

and a country file, e.g. ``country_codes_V202401.csv`` with ``country_code``,
``country_name``, ``country_iso2`` and ``country_iso3`` (releases before 2023 call them
``country_code``, ``country_name_abbreviation``, ``country_name_full``, ``iso_2digit_alpha``
and ``iso_3digit_alpha``; both layouts are accepted).

:func:`import_baci` streams the trade file in blocks (a 10-GB file never has to fit in memory),
sums the values over products, maps the numeric codes to ISO3, keeps the chosen economies and
folds all others (and every code without a usable ISO3, such as "Areas, nes" or bunkers) into
``ROW``, drops flows internal to an output economy, converts thousand USD to the output unit
and writes ``dataset.toml``, ``economies.csv`` and ``trade.csv`` atomically.

Every problem a user can cause raises :class:`~worldorder.errors.DataError` with one line that
names the file, the line (the header is line 1, so the first data row is line 2) and the field,
in the style of the dataset loader, e.g. ``gdp.csv, line 4, field 'gdp': '-3' must be
positive``.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from worldorder.errors import DataError

__all__ = ["BACI_UNIT", "DEFAULT_BLOCK_SIZE", "ROW", "UNITS", "import_baci"]

logger = logging.getLogger(__name__)

StrPath = str | os.PathLike[str]

#: Value of one unit of each supported unit string, in US dollars.
UNITS: dict[str, float] = {
    "USD": 1.0,
    "USD thousand": 1e3,
    "USD million": 1e6,
    "USD billion": 1e9,
}
#: Unit of BACI's ``v`` column.
BACI_UNIT = "USD thousand"
#: Code of the rest of the world, the economy into which everything not kept is folded.
ROW = "ROW"
ROW_NAME = "Rest of the world"
#: Bytes of the BACI file parsed at a time.
DEFAULT_BLOCK_SIZE = 16 * 2**20

_ISO3_RE = r"[A-Z]{3}"
_BACI_NAME_RE = re.compile(r"BACI_(HS\d{2})_Y\d{4}_(V\d{6}[A-Za-z]?)", re.IGNORECASE)
_VERSION_RE = re.compile(r"(V\d{6}[A-Za-z]?)", re.IGNORECASE)
_MISSING = frozenset({"", "NA", "N/A", "NAN", "..", "-"})

# Column layouts of the country file: current releases first, pre-2023 releases second.
_CODE_COLUMN = "country_code"
_NAME_COLUMNS = ("country_name", "country_name_abbreviation", "country_name_full")
_ISO3_COLUMNS = ("country_iso3", "iso_3digit_alpha")
_BACI_REQUIRED = ("t", "i", "j", "v")


def import_baci(
    baci_csv: StrPath,
    country_codes_csv: StrPath,
    out_dir: StrPath,
    gdp_csv: StrPath,
    *,
    year: int | None = None,
    economies: Sequence[str] | None = None,
    name: str | None = None,
    unit: str = "USD million",
    gdp_unit: str | None = None,
    gdp_source: str | None = None,
    overwrite: bool = False,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> Path:
    """Aggregate a CEPII BACI trade file into a worldorder dataset folder.

    The BACI file is read in blocks of ``block_size`` bytes. Values are summed over HS6
    products for the selected year; exporter and importer codes are mapped to ISO3 through the
    country file. Economies in ``economies`` are kept individually and every other code is
    folded into ``ROW`` (codes whose ISO3 is blank, ``N/A`` or otherwise not three letters are
    always folded; each fold is reported through the ``worldorder.data.baci`` logger and
    counted in the dataset description). Flows from an economy to itself, including flows
    that become internal after folding (e.g. between two economies inside ``ROW``), are
    dropped, as are pairs whose total is zero.

    ``ROW``'s GDP is the ``ROW`` row of the GDP file when there is one, otherwise the sum of
    the GDPs of the economies folded into it that have a GDP; ``economies.csv`` says which in
    its ``gdp_source`` column. ``ROW`` is written only when it trades with a kept economy.

    Args:
        baci_csv: BACI trade file (columns ``t``, ``i``, ``j``, ``v``; ``k`` and ``q`` and any
            other column are ignored). Values are in thousand USD.
        country_codes_csv: BACI country file (``country_code``, ``country_name`` and
            ``country_iso3``, or the pre-2023 names ``country_name_abbreviation`` /
            ``country_name_full`` and ``iso_3digit_alpha``).
        out_dir: Dataset folder to create. It must not exist or be empty unless ``overwrite``.
        gdp_csv: GDP file with columns ``code`` (ISO3, or ``ROW``) and ``gdp``; optional
            ``name``, ``population``, ``region``, ``source`` (written to ``gdp_source``) and
            ``gdp_unit`` (per row, overriding the ``gdp_unit`` argument). Blank or ``NA`` GDP
            cells mean "no GDP".
        year: Year to import (column ``t``). Required when the file holds several years.
        economies: ISO3 codes to keep individually; all other codes are folded into ``ROW``.
            ``None`` keeps every economy that trades and has a GDP in ``gdp_csv``.
        name: Dataset name written to ``dataset.toml``; defaults to the folder name.
        unit: Unit of the output trade and GDP values: ``"USD"``, ``"USD thousand"``,
            ``"USD million"`` (default) or ``"USD billion"`` (case-insensitive).
        gdp_unit: Unit of the GDP file's ``gdp`` column, one of the same strings; defaults to
            ``unit``.
        gdp_source: Source of the GDP figures for ``dataset.toml`` and the ``gdp_source``
            column, used where the GDP file has no ``source`` column or the cell is blank;
            defaults to the GDP file's name.
        overwrite: Replace an existing non-empty ``out_dir``. Without it such a folder is never
            touched.
        block_size: Bytes of the BACI file parsed at a time (memory use is a small multiple of
            it); must exceed the longest line.

    Returns:
        The path of the dataset folder (``out_dir``).

    Raises:
        DataError: On any problem with the inputs or arguments, with a one-line message naming
            the file, line and field: missing files or columns, non-numeric, negative or
            non-finite values, exporter or importer codes absent from the country file,
            duplicate codes in the country or GDP file, non-positive GDP, several years and
            no ``year``, an unknown ``unit``, kept economies without GDP or without trade,
            or an existing non-empty ``out_dir`` without ``overwrite``.
    """
    out = Path(out_dir)
    out_unit = _normalise_unit(unit, "unit")
    in_gdp_unit = out_unit if gdp_unit is None else _normalise_unit(gdp_unit, "gdp_unit")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise DataError(f"year: {year!r} is not a whole year")
    if block_size < 256:
        raise DataError(f"block_size: {block_size!r} must be at least 256 bytes")
    _check_out_dir(out, overwrite)
    baci_path, codes_path, gdp_path = Path(baci_csv), Path(country_codes_csv), Path(gdp_csv)

    countries = _read_country_codes(codes_path)
    gdp = _read_gdp(gdp_path, in_gdp_unit, out_unit, gdp_source or gdp_path.name)
    wanted = _normalise_economies(economies, countries, codes_path.name)
    flows, the_year = _scan_baci(baci_path, countries, codes_path.name, year, block_size)

    agg = _aggregate(flows, countries, gdp, wanted, gdp_path.name, baci_path.name, the_year)
    factor = UNITS[BACI_UNIT] / UNITS[out_unit]
    hs, version = _release(baci_path, codes_path)
    short_source = " ".join(p for p in ("CEPII BACI", hs, version) if p)
    trade = agg.trade.assign(value=agg.trade["value"] * factor, source=short_source)

    gdp_sources = "; ".join(dict.fromkeys(agg.gdp_file_sources)) or gdp_path.name
    row_note = ""
    if agg.folded_codes:
        row_note = (f" {agg.folded_codes} economies and areas folded into ROW"
                    f" ({agg.folded_territories} without an ISO3 code).")
    meta = {
        "name": name or out.name,
        "year": the_year,
        "description": (
            f"Bilateral trade in goods among {agg.n_kept} economies"
            f"{' and the rest of the world' if agg.has_row else ''} in {the_year}, from "
            f"{short_source} summed over HS6 products; GDP from {gdp_sources}.{row_note}"
        ),
        "currency": "USD",
        "domestic_flows": False,
        "units": {"trade": out_unit, "gdp": out_unit},
        "sources": {
            "trade": f"{short_source}, aggregated over products by worldorder import-baci",
            "economies": gdp_sources,
        },
    }
    _write_atomically(out, overwrite, agg.economies, trade, meta)
    logger.info("wrote %s: %d economies, %d flows, unit %s", out, len(agg.economies),
                len(trade), out_unit)
    return out


# ---------------------------------------------------------------------------------------------
# Arguments and small files


def _normalise_unit(unit: str, what: str) -> str:
    """Return the canonical spelling of a unit string, or raise."""
    key = " ".join(str(unit).split()).lower()
    for canonical in UNITS:
        if canonical.lower() == key:
            return canonical
    raise DataError(f"{what}: unknown unit {unit!r} (choose one of {', '.join(UNITS)})")


def _check_out_dir(out: Path, overwrite: bool) -> None:
    """Refuse an output path that is a file, or a non-empty folder without ``overwrite``."""
    if out.exists() and not out.is_dir():
        raise DataError(f"{out}: exists and is not a folder; choose another output folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise DataError(f"{out}: folder exists and is not empty; choose another output folder "
                        "or allow overwriting")


def _where(label: str, pos: int, field: str) -> str:
    """Location of 0-based data row ``pos`` of a CSV file (header on line 1)."""
    return f"{label}, line {pos + 2}, field {field!r}"


def _read_strings(path: Path) -> pd.DataFrame:
    """Read a small CSV file as stripped strings, keeping empty cells (and ``NA``) as text."""
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    df = None
    for encoding in ("utf-8-sig", "latin-1"):
        try:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise DataError(f"{path.name}: the file is empty") from None
        except pd.errors.ParserError as exc:
            msg = str(exc).strip().splitlines()[-1]
            raise DataError(f"{path.name}: cannot be read as CSV ({msg})") from None
    assert df is not None  # latin-1 decodes any byte sequence
    df.columns = [str(c).strip() for c in df.columns]
    df = df.fillna("")
    for c in df.columns:
        df[c] = df[c].astype(str).str.strip()
    return df.reset_index(drop=True)


def _first(mask: np.ndarray | pd.Series) -> int:
    """Position of the first True in a boolean mask (which must have one)."""
    return int(np.argmax(np.asarray(mask)))


def _read_country_codes(path: Path) -> pd.DataFrame:
    """Read the BACI country file.

    Returns:
        A frame indexed by the integer BACI code with columns ``name`` and ``iso3`` (the ISO3
        code, or an empty string where it is blank, ``N/A`` or not three letters).
    """
    df = _read_strings(path)
    label = path.name

    def pick(options: Sequence[str]) -> str:
        for c in options:
            if c in df.columns:
                return c
        alternatives = " or ".join(repr(c) for c in options)
        raise DataError(f"{label}: missing column {options[0]!r} (expected {alternatives})")

    code_col = pick((_CODE_COLUMN,))
    name_col = pick(_NAME_COLUMNS)
    iso_col = pick(_ISO3_COLUMNS)
    if df.empty:
        raise DataError(f"{label}: no country codes")
    raw = df[code_col]
    num = pd.to_numeric(raw, errors="coerce")
    bad = (num.isna() | (num % 1 != 0) | (num < 0)).to_numpy()
    if bad.any():
        k = _first(bad)
        raise DataError(f"{_where(label, k, code_col)}: {raw.iloc[k]!r} is not a country code "
                        "(a whole number)")
    iso = df[iso_col].str.upper()
    iso = iso.where(iso.str.fullmatch(_ISO3_RE) & (iso != ROW), "")
    out = pd.DataFrame({"code": num.astype(np.int64), "name": df[name_col], "iso3": iso})
    dup = out.duplicated("code", keep="first").to_numpy()
    conflicting = dup & ~out.duplicated(["code", "iso3"], keep="first").to_numpy()
    if conflicting.any():
        k = _first(conflicting)
        first = _first((out["code"] == out["code"].iloc[k]).to_numpy())
        raise DataError(
            f"{_where(label, k, code_col)}: duplicate country code {int(out['code'].iloc[k])} "
            f"with a different ISO3 code than line {first + 2}"
        )
    return out.loc[~dup].set_index("code")


def _parse_optional_numbers(df: pd.DataFrame, col: str, label: str) -> pd.Series:
    """Parse a numeric column where blank / ``NA`` cells mean missing; reject the rest."""
    raw = df[col]
    missing = raw.str.upper().isin(_MISSING)
    num = pd.to_numeric(raw.where(~missing, ""), errors="coerce")
    bad = (~missing & ~np.isfinite(num.to_numpy(dtype=float))).to_numpy()
    if bad.any():
        k = _first(bad)
        raise DataError(f"{_where(label, k, col)}: {raw.iloc[k]!r} is not a number")
    return num.where(~missing)


def _read_gdp(path: Path, default_unit: str, out_unit: str, default_source: str) -> pd.DataFrame:
    """Read the GDP file.

    Returns:
        A frame indexed by code with columns ``name``, ``gdp`` (in ``out_unit``, NaN where
        missing), ``population`` (NaN where missing), ``region`` and ``source``; the frame's
        ``attrs`` record which optional columns the file had.
    """
    df = _read_strings(path)
    label = path.name
    for col in ("code", "gdp"):
        if col not in df.columns:
            raise DataError(f"{label}: missing column {col!r} (required: code, gdp)")
    code = df["code"].str.upper()
    empty = (code == "").to_numpy()
    if empty.any():
        raise DataError(f"{_where(label, _first(empty), 'code')}: missing economy code")
    dup = code.duplicated(keep="first").to_numpy()
    if dup.any():
        k = _first(dup)
        first = _first((code == code.iloc[k]).to_numpy())
        raise DataError(f"{_where(label, k, 'code')}: duplicate code {code.iloc[k]!r} (first at "
                        f"line {first + 2})")
    gdp = _parse_optional_numbers(df, "gdp", label)
    low = (gdp <= 0).to_numpy()
    if low.any():
        k = _first(low)
        raise DataError(f"{_where(label, k, 'gdp')}: {df['gdp'].iloc[k]!r} must be positive")
    population = pd.Series(np.nan, index=df.index)
    if "population" in df.columns:
        population = _parse_optional_numbers(df, "population", label)
        neg = (population < 0).to_numpy()
        if neg.any():
            k = _first(neg)
            raise DataError(f"{_where(label, k, 'population')}: {df['population'].iloc[k]!r} "
                            "must not be negative")
    units = pd.Series(default_unit, index=df.index)
    if "gdp_unit" in df.columns:
        given = df["gdp_unit"] != ""
        canon = {" ".join(u.lower().split()): u for u in UNITS}
        mapped = df["gdp_unit"].str.lower().str.split().str.join(" ").map(canon)
        bad = (given & mapped.isna()).to_numpy()
        if bad.any():
            k = _first(bad)
            raise DataError(f"{_where(label, k, 'gdp_unit')}: unknown unit "
                            f"{df['gdp_unit'].iloc[k]!r} (choose one of {', '.join(UNITS)})")
        units = mapped.where(given, default_unit)
    scale = units.map(UNITS) / UNITS[out_unit]
    source = df["source"] if "source" in df.columns else pd.Series("", index=df.index)
    out = pd.DataFrame({
        "code": code,
        "name": df["name"] if "name" in df.columns else "",
        "gdp": gdp.astype(float) * scale,
        "population": population.astype(float),
        "region": df["region"] if "region" in df.columns else "",
        "source": source.where(source != "", default_source),
    }).set_index("code")
    out.attrs["has_population"] = "population" in df.columns
    out.attrs["has_region"] = "region" in df.columns
    return out


def _normalise_economies(economies: Sequence[str] | None, countries: pd.DataFrame,
                         label: str) -> list[str] | None:
    """Check the requested economies against the country file's ISO3 codes."""
    if economies is None:
        return None
    if isinstance(economies, str):
        economies = [economies]
    known = set(countries["iso3"]) - {""}
    wanted: list[str] = []
    for raw in economies:
        c = str(raw).strip().upper()
        if c == ROW:
            raise DataError("economies: ROW is added automatically; list only ISO3 codes")
        if c not in known:
            raise DataError(f"economies: {raw!r} is not an ISO3 code in {label} "
                            "(field 'country_iso3')")
        if c not in wanted:
            wanted.append(c)
    if not wanted:
        raise DataError("economies: the list is empty")
    return wanted


# ---------------------------------------------------------------------------------------------
# The BACI file


def _read_header(path: Path) -> list[str]:
    """The column names on the first line of a CSV file, as written."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        first = fh.readline()
    if not first.strip():
        raise DataError(f"{path.name}: the file is empty")
    return next(csv.reader([first.rstrip("\r\n")]))


def _parse_column(arr: pa.ChunkedArray | pa.Array, label: str, field: str, offset: int,
                  *, integer: bool) -> np.ndarray:
    """Convert a string column of one block to numbers, naming the first bad cell on failure.

    Args:
        arr: The column's cells as strings.
        label: File name for messages.
        field: Column name for messages.
        offset: Data rows before this block.
        integer: Whether the cells must be whole numbers (else finite, non-negative floats).
    """
    trimmed = pc.utf8_trim_whitespace(arr)
    try:
        values = pc.cast(trimmed, pa.int64() if integer else pa.float64()).to_numpy(
            zero_copy_only=False)
        bad = None if integer else ~np.isfinite(values) | (values < 0)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        # Slow path, only for a block that fails: find the first bad cell (or accept what
        # pandas can read, such as "4.0" for a code).
        raw = pd.Series(trimmed.to_pylist(), dtype=object)
        num = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(num) | (num < 0)
        if integer:
            bad |= np.isfinite(num) & (num % 1 != 0)
        values = num.astype(np.int64) if integer and not bad.any() else num
    if bad is not None and bad.any():
        k = _first(bad)
        cell = trimmed[k].as_py()
        what = "a whole number" if integer else "a non-negative number"
        raise DataError(f"{_where(label, offset + k, field)}: {cell!r} is not {what}")
    return values


@dataclass
class _BadRows:
    """Collects the first malformed line reported by pyarrow's CSV parser."""

    line: int | None = None
    text: str = ""
    count: int = 0

    def __call__(self, row: pacsv.InvalidRow) -> str:
        self.count += 1
        if self.line is None:
            self.line = row.number
            self.text = f"expected {row.expected_columns} fields, got {row.actual_columns}"
        return "skip"


def _scan_baci(path: Path, countries: pd.DataFrame, codes_label: str, year: int | None,
               block_size: int) -> tuple[pd.DataFrame, int]:
    """Stream the BACI file and sum values by exporter and importer code.

    Returns:
        Flows ``i, j, v`` (thousand USD, ``i != j``) of the selected year, and that year.
    """
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    label = path.name
    header = _read_header(path)
    raw_name = {c.strip(): c for c in reversed(header)}  # column as written, by stripped name
    missing = [c for c in _BACI_REQUIRED if c not in raw_name]
    if missing:
        raise DataError(f"{label}: missing column {missing[0]!r} (required: t, i, j, v; "
                        f"found: {', '.join(c.strip() for c in header)})")
    columns = [raw_name[c] for c in _BACI_REQUIRED]
    bad_rows = _BadRows()
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=block_size, use_threads=False),
            parse_options=pacsv.ParseOptions(invalid_row_handler=bad_rows),
            convert_options=pacsv.ConvertOptions(
                include_columns=columns,
                column_types=dict.fromkeys(columns, pa.string()),
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise DataError(f"{label}: cannot be read as CSV ({_one_line(exc)})") from None

    known = countries.index.to_numpy(dtype=np.int64)
    offset = 0
    years: set[int] = set()
    parts: list[pd.DataFrame] = []
    pending = 0
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as exc:
            raise DataError(f"{label}: cannot be read as CSV near line {offset + 2} "
                            f"({_one_line(exc)})") from None
        if bad_rows.line is not None:
            raise DataError(f"{label}, line {bad_rows.line}: malformed line ({bad_rows.text})")
        t, i, j = (_parse_column(batch.column(raw_name[c]), label, c, offset, integer=True)
                   for c in ("t", "i", "j"))
        v = _parse_column(batch.column(raw_name["v"]), label, "v", offset, integer=False)
        for field, codes, role in (("i", i, "exporter"), ("j", j, "importer")):
            unknown = ~np.isin(codes, known)
            if unknown.any():
                k = _first(unknown)
                raise DataError(f"{_where(label, offset + k, field)}: {role} code {codes[k]} is "
                                f"not in {codes_label}")
        years.update(np.unique(t).tolist())
        keep = i != j
        if year is not None:
            keep &= t == year
        block = pd.DataFrame({"t": t[keep], "i": i[keep], "j": j[keep], "v": v[keep]})
        parts.append(block.groupby(["t", "i", "j"], sort=False, as_index=False)["v"].sum())
        pending += len(parts[-1])
        if pending > 2_000_000 and len(parts) > 1:  # consolidate partial sums
            parts = [_sum_parts(parts)]
            pending = len(parts[0])
        offset += batch.num_rows
    if bad_rows.line is not None:
        raise DataError(f"{label}, line {bad_rows.line}: malformed line ({bad_rows.text})")
    if offset == 0:
        raise DataError(f"{label}: no data rows")
    present = ", ".join(str(y) for y in sorted(years))
    if year is None:
        if len(years) > 1:
            raise DataError(f"{label}, field 't': the file holds several years ({present}); "
                            "choose one with the year option")
        the_year = int(next(iter(years)))
    else:
        if year not in years:
            raise DataError(f"{label}, field 't': no rows for year {year} (years present: "
                            f"{present})")
        the_year = year
    flows = _sum_parts(parts)
    return flows.loc[flows["t"] == the_year, ["i", "j", "v"]].reset_index(drop=True), the_year


def _sum_parts(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate partial sums and sum them again by year, exporter and importer."""
    frame = pd.concat(parts, ignore_index=True)
    return frame.groupby(["t", "i", "j"], sort=True, as_index=False)["v"].sum()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _release(baci_path: Path, codes_path: Path) -> tuple[str, str]:
    """HS revision and release version from the file names (empty strings when unknown)."""
    m = _BACI_NAME_RE.search(baci_path.name)
    if m:
        return m.group(1).upper(), m.group(2).upper()
    v = _VERSION_RE.search(codes_path.name)
    return "", v.group(1).upper() if v else ""


# ---------------------------------------------------------------------------------------------
# Aggregation


@dataclass
class _Aggregate:
    economies: pd.DataFrame
    trade: pd.DataFrame
    n_kept: int
    has_row: bool
    folded_codes: int
    folded_territories: int
    gdp_file_sources: list[str]


def _aggregate(flows: pd.DataFrame, countries: pd.DataFrame, gdp: pd.DataFrame,
               wanted: list[str] | None, gdp_label: str, baci_label: str,
               year: int) -> _Aggregate:
    """Map codes to output economies, fold the rest into ROW and assemble the tables."""
    flows = flows.loc[flows["v"] > 0]
    if flows.empty:
        raise DataError(f"{baci_label}: no trade between different economies in {year}")
    used = pd.Index(np.union1d(flows["i"].to_numpy(), flows["j"].to_numpy()))
    iso_of = countries["iso3"]
    used_iso = iso_of.reindex(used)
    territories = used[(used_iso == "").to_numpy()]
    trading = sorted(set(used_iso) - {""})
    has_gdp = gdp["gdp"].notna()

    if wanted is None:
        kept = [c for c in trading if c in gdp.index and has_gdp.get(c, False)]
    else:
        kept = list(wanted)
        no_trade = [c for c in kept if c not in trading]
        if no_trade:
            raise DataError(f"{baci_label}: no trade with other economies in {year} for "
                            f"{', '.join(no_trade)} (listed in economies); leave them out")
    no_gdp = [c for c in kept if c not in gdp.index or not has_gdp[c]]
    if no_gdp:
        raise DataError(f"{gdp_label}, field 'gdp': no GDP for {', '.join(no_gdp)} (kept "
                        "economies with trade); add them to the GDP file or leave them out of "
                        "economies")
    if not kept:
        raise DataError(f"{gdp_label}, field 'code': none of the economies trading in "
                        f"{baci_label} has a GDP; check that codes are ISO3")

    kept_set = set(kept)
    target = used_iso.where(used_iso.isin(kept_set), ROW)
    exporter = target.reindex(flows["i"].to_numpy()).to_numpy()
    importer = target.reindex(flows["j"].to_numpy()).to_numpy()
    mapped = pd.DataFrame({"exporter": exporter, "importer": importer,
                           "value": flows["v"].to_numpy()})
    mapped = mapped.loc[mapped["exporter"] != mapped["importer"]]
    trade = mapped.groupby(["exporter", "importer"], as_index=False, sort=True)["value"].sum()
    trade = trade.loc[trade["value"] > 0].reset_index(drop=True)

    folded_iso = [c for c in trading if c not in kept_set]
    if len(territories):
        territory_names = countries.loc[territories, "name"]
        logger.info("folded into ROW (no ISO3 code): %s",
                    ", ".join(f"{c} {n}" for c, n in territory_names.items()))
    if folded_iso:
        logger.info("folded into ROW (%s): %s",
                    "not in economies" if wanted is not None else "no GDP",
                    ", ".join(folded_iso))
    has_row = bool((trade["exporter"] == ROW).any() or (trade["importer"] == ROW).any())

    trading_kept = set(trade["exporter"]) | set(trade["importer"])
    lonely = [c for c in kept if c not in trading_kept]
    if lonely:
        raise DataError(f"{baci_label}: no trade with other economies in {year} for "
                        f"{', '.join(lonely)} after folding into ROW")

    rows = gdp.reindex(kept)
    baci_names = countries.loc[countries["iso3"] != ""].groupby("iso3")["name"].first()
    rows["name"] = rows["name"].where(rows["name"] != "", baci_names.reindex(kept))
    econ = pd.DataFrame({
        "code": kept,
        "name": rows["name"].to_numpy(),
        "gdp": rows["gdp"].to_numpy(),
        "population": rows["population"].to_numpy(),
        "region": rows["region"].to_numpy(),
        "gdp_source": rows["source"].to_numpy(),
    })
    file_sources = list(rows["source"])
    if has_row:
        row_entry, row_sources = _row_gdp(gdp, folded_iso, gdp_label, len(territories))
        file_sources.extend(row_sources)
        econ = pd.concat([econ, pd.DataFrame([row_entry])], ignore_index=True)
    elif folded_iso or len(territories):
        logger.info("ROW does not trade with the kept economies and is left out")
    if not gdp.attrs.get("has_population"):
        econ = econ.drop(columns="population")
    if not gdp.attrs.get("has_region"):
        econ = econ.drop(columns="region")
    return _Aggregate(
        economies=econ,
        trade=trade,
        n_kept=len(kept),
        has_row=has_row,
        folded_codes=len(folded_iso) + len(territories),
        folded_territories=len(territories),
        gdp_file_sources=[s for s in file_sources if s],
    )


def _row_gdp(gdp: pd.DataFrame, folded: list[str], gdp_label: str,
             n_territories: int) -> tuple[dict[str, object], list[str]]:
    """The ``ROW`` row of ``economies.csv`` (from the GDP file's ROW row, or summed over the
    folded economies) and the GDP sources it draws on."""
    if ROW in gdp.index and pd.notna(gdp.at[ROW, "gdp"]):
        src = str(gdp.at[ROW, "source"])
        return {"code": ROW, "name": gdp.at[ROW, "name"] or ROW_NAME,
                "gdp": float(gdp.at[ROW, "gdp"]), "population": gdp.at[ROW, "population"],
                "region": gdp.at[ROW, "region"], "gdp_source": f"{src} (ROW row)"}, [src]
    members = gdp.reindex(folded)
    members = members.loc[members["gdp"].notna()]
    if members.empty:
        raise DataError(
            f"{gdp_label}, field 'code': ROW trades with the kept economies but none of the "
            f"{len(folded) + n_territories} codes folded into it has a GDP; add a row with code "
            "ROW (or list the economies to keep)"
        )
    pop = members["population"]
    sources = list(dict.fromkeys(members["source"]))
    srcs = "; ".join(sources)
    return {
        "code": ROW,
        "name": ROW_NAME,
        "gdp": float(members["gdp"].sum()),
        "population": float(pop.sum()) if pop.notna().all() else np.nan,
        "region": "",
        "gdp_source": f"sum of the GDP of {len(members)} economies folded into ROW ({srcs})",
    }, sources


# ---------------------------------------------------------------------------------------------
# Writing


def _toml_string(value: str) -> str:
    """A TOML basic string."""
    out = []
    for ch in value:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, f"\\u{code:04X}"))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _toml_string(str(value))


def _dataset_toml(meta: dict[str, object]) -> str:
    lines: list[str] = []
    tables: list[tuple[str, dict[str, object]]] = []
    for key, value in meta.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {_toml_value(value)}")
    for key, table in tables:
        lines.extend(["", f"[{key}]"])
        lines.extend(f"{k} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def _write_atomically(out: Path, overwrite: bool, economies: pd.DataFrame, trade: pd.DataFrame,
                      meta: dict[str, object]) -> None:
    """Write the dataset into a temporary sibling folder, then rename it into place."""
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f".{out.name}.{uuid.uuid4().hex[:12]}.tmp"
    tmp.mkdir()  # unlike tempfile.mkdtemp, honours the umask like any new folder
    try:
        (tmp / "dataset.toml").write_text(_dataset_toml(meta), encoding="utf-8")
        economies.to_csv(tmp / "economies.csv", index=False, lineterminator="\n")
        trade[["exporter", "importer", "value", "source"]].to_csv(
            tmp / "trade.csv", index=False, lineterminator="\n")
        _check_out_dir(out, overwrite)  # again: the folder may have appeared meanwhile
        if out.exists():
            backup = parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
            os.replace(out, backup)
            try:
                os.replace(tmp, out)
            except OSError:
                os.replace(backup, out)
                raise
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise

"""Tests of the CEPII BACI importer (``worldorder.data.baci.import_baci``).

The inputs are small hand-written BACI, country and GDP files; every expected number below was
worked out by hand from them (values in the BACI file are thousand USD).
"""

from __future__ import annotations

import logging
import re
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worldorder.data.baci import import_baci
from worldorder.errors import DataError

BACI_NAME = "BACI_HS17_Y2022_V202401.csv"
CODES_NAME = "country_codes_V202401.csv"

BACI_HEADER = "t,i,j,k,v,q"
# One line per (year, exporter, importer, product). 899 is a territory without ISO3; 276 -> 276
# is a self-flow; AUS, FRA and NAM trade among themselves (internal to ROW when folded).
BACI_ROWS = [
    "2022,842,156,010121,1000.5,12.0",   # USA -> CHN
    "2022,842,156,854231,2000.0,NA",     # USA -> CHN
    "2022,156,842,854231,5000.0,3.5",    # CHN -> USA
    "2022,156,842,030389,250.25,",       # CHN -> USA, quantity blank
    "2022,276,842,870323,3000.0,100",    # DEU -> USA
    "2022,842,276,300490,1500.0,NA",     # USA -> DEU
    "2022,36,156,260111,4000.0,1000000", # AUS -> CHN
    "2022,36,251,220421,100.0,5",        # AUS -> FRA
    "2022,251,36,220421,20.0,NA",        # FRA -> AUS
    "2022,516,251,710231,30.0,NA",       # NAM -> FRA
    "2022,899,842,999999,70.0,NA",       # Areas nes -> USA
    "2022,842,899,999999,5.0,NA",        # USA -> Areas nes
    "2022,251,276,220421,600.0,2",       # FRA -> DEU
    "2022,276,276,870323,999.0,NA",      # DEU -> DEU (self-flow)
    "2022,516,156,710231,10.0,NA",       # NAM -> CHN
    "2021,842,156,010121,800.0,NA",      # USA -> CHN
    "2021,156,842,854231,4000.0,NA",     # CHN -> USA
    "2021,276,842,870323,2500.0,NA",     # DEU -> USA
    "2021,36,156,260111,3000.0,NA",      # AUS -> CHN
]

CODES_NEW = """\
country_code,country_name,country_iso2,country_iso3
36,Australia,AU,AUS
40,Austria,AT,AUT
156,China,CN,CHN
251,France,FR,FRA
276,Germany,DE,DEU
516,Namibia,NA,NAM
842,USA,US,USA
899,"Areas, nes",N/A,N/A
"""

CODES_OLD = """\
country_code,country_name_abbreviation,country_name_full,iso_2digit_alpha,iso_3digit_alpha
36,Australia,Australia,AU,AUS
40,Austria,Austria,AT,AUT
156,China,China,CN,CHN
251,France,France,FR,FRA
276,Germany,Germany,DE,DEU
516,Namibia,Namibia,NA,NAM
842,USA,United States of America,US,USA
899,"Areas, nes","Areas, not elsewhere specified",N/A,
"""

# GDP in USD billion; Namibia has none.
GDP = """\
code,name,gdp,population,region
USA,United States,25000,333.3,North America
CHN,China,18000,1412,East Asia
DEU,Germany,4000,84.1,Europe
FRA,France,2800,68,Europe
AUS,Australia,1700,26,Oceania
"""

# Expected flows of 2022 with USA, CHN and DEU kept, in thousand USD.
EXPECTED_2022 = {
    ("USA", "CHN"): 1000.5 + 2000.0,
    ("CHN", "USA"): 5000.0 + 250.25,
    ("DEU", "USA"): 3000.0,
    ("USA", "DEU"): 1500.0,
    ("ROW", "CHN"): 4000.0 + 10.0,  # AUS and NAM
    ("ROW", "USA"): 70.0,           # the territory 899
    ("USA", "ROW"): 5.0,
    ("ROW", "DEU"): 600.0,          # FRA
}
KEEP = ["USA", "CHN", "DEU"]


@dataclass
class Inputs:
    """Paths of the three input files and the folder they live in."""

    root: Path
    baci: Path
    codes: Path
    gdp: Path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def baci_text(rows: list[str], header: str = BACI_HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


@pytest.fixture
def inputs(tmp_path: Path) -> Inputs:
    return Inputs(
        root=tmp_path,
        baci=write(tmp_path / BACI_NAME, baci_text(BACI_ROWS)),
        codes=write(tmp_path / CODES_NAME, CODES_NEW),
        gdp=write(tmp_path / "gdp.csv", GDP),
    )


def run(inp: Inputs, out: str = "out", **kwargs: object) -> Path:
    kwargs.setdefault("year", 2022)
    kwargs.setdefault("economies", KEEP)
    kwargs.setdefault("gdp_unit", "USD billion")
    return import_baci(inp.baci, inp.codes, inp.root / out, inp.gdp, **kwargs)  # type: ignore[arg-type]


def flows(folder: Path) -> dict[tuple[str, str], float]:
    df = pd.read_csv(folder / "trade.csv")
    assert list(df.columns) == ["exporter", "importer", "value", "source"]
    return {(e, i): v for e, i, v in zip(df["exporter"], df["importer"], df["value"], strict=True)}


def economies(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "economies.csv", keep_default_na=False,
                       na_values=[""]).set_index("code")


def assert_flows(got: dict[tuple[str, str], float], expected_thousand: dict, factor: float) -> None:
    assert set(got) == set(expected_thousand)
    for pair, value in expected_thousand.items():
        assert got[pair] == pytest.approx(value * factor, rel=1e-12), pair


# ---------------------------------------------------------------------------------------------
# Aggregation


def test_aggregates_products_folds_row_and_drops_internal_flows(inputs: Inputs) -> None:
    out = run(inputs)
    assert out == inputs.root / "out"
    got = flows(out)
    assert_flows(got, EXPECTED_2022, 1e-3)  # USD million
    assert got[("USA", "CHN")] == pytest.approx(3.0005)
    assert ("DEU", "DEU") not in got and ("ROW", "ROW") not in got
    trade = pd.read_csv(out / "trade.csv")
    assert set(trade["source"]) == {"CEPII BACI HS17 V202401"}
    assert trade["value"].sum() == pytest.approx(17435.75e-3)  # all input minus 1149 dropped


def test_economies_table_gdp_conversion_and_row_sum(inputs: Inputs) -> None:
    econ = economies(run(inputs))
    assert list(econ.index) == ["USA", "CHN", "DEU", "ROW"]
    assert list(econ.columns) == ["name", "gdp", "population", "region", "gdp_source"]
    assert econ.loc["USA", "gdp"] == pytest.approx(25_000_000.0)  # USD billion -> million
    assert econ.loc["DEU", "name"] == "Germany"
    assert econ.loc["CHN", "region"] == "East Asia"
    # ROW = FRA + AUS (NAM has no GDP; the territory has none either).
    assert econ.loc["ROW", "gdp"] == pytest.approx((2800 + 1700) * 1000.0)
    assert econ.loc["ROW", "population"] == pytest.approx(68 + 26)
    assert econ.loc["ROW", "name"] == "Rest of the world"
    assert econ.loc["USA", "gdp_source"] == "gdp.csv"
    assert econ.loc["ROW", "gdp_source"].startswith("sum of the GDP of 2 economies folded")


def test_dataset_toml(inputs: Inputs) -> None:
    out = run(inputs, name="my-world")
    meta = tomllib.loads((out / "dataset.toml").read_text(encoding="utf-8"))
    assert meta["name"] == "my-world"
    assert meta["year"] == 2022
    assert meta["currency"] == "USD"
    assert meta["domestic_flows"] is False
    assert meta["units"] == {"trade": "USD million", "gdp": "USD million"}
    assert meta["sources"]["trade"] == (
        "CEPII BACI HS17 V202401, aggregated over products by worldorder import-baci")
    assert meta["sources"]["economies"] == "gdp.csv"
    assert "4 economies and areas folded into ROW (1 without an ISO3 code)" in meta["description"]


def test_name_defaults_to_folder_name(inputs: Inputs) -> None:
    meta = tomllib.loads((run(inputs, out="world-x") / "dataset.toml").read_text())
    assert meta["name"] == "world-x"


def test_folds_are_reported(inputs: Inputs, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="worldorder.data.baci"):
        run(inputs)
    assert "folded into ROW (no ISO3 code): 899 Areas, nes" in caplog.text
    assert "folded into ROW (not in economies): AUS, FRA, NAM" in caplog.text


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("USD", 1e3), ("USD thousand", 1.0), ("USD million", 1e-3), ("usd  Billion", 1e-6)],
)
def test_unit_conversion(inputs: Inputs, unit: str, factor: float) -> None:
    out = run(inputs, unit=unit)
    assert_flows(flows(out), EXPECTED_2022, factor)
    # GDP file in USD billion -> output unit.
    assert economies(out).loc["USA", "gdp"] == pytest.approx(25_000e9 * 1e-3 * factor)
    canonical = {"usd  Billion": "USD billion"}.get(unit, unit)
    meta = tomllib.loads((out / "dataset.toml").read_text())
    assert meta["units"] == {"trade": canonical, "gdp": canonical}


def test_gdp_unit_defaults_to_output_unit_and_column_overrides(inputs: Inputs) -> None:
    write(inputs.gdp, "code,gdp,gdp_unit\nUSA,25000000,\nCHN,18,USD trillion\n")
    with pytest.raises(DataError, match=r"gdp\.csv, line 3, field 'gdp_unit': unknown unit"):
        run(inputs, gdp_unit=None)
    write(inputs.gdp, "code,gdp,gdp_unit\nUSA,25000000,\nCHN,18000,USD billion\n"
                      "DEU,4000000000000,USD\nROW,1,USD thousand\n")
    econ = economies(run(inputs, gdp_unit=None))
    assert econ.loc["USA", "gdp"] == pytest.approx(25_000_000.0)
    assert econ.loc["CHN", "gdp"] == pytest.approx(18_000_000.0)
    assert econ.loc["DEU", "gdp"] == pytest.approx(4_000_000.0)
    assert econ.loc["ROW", "gdp"] == pytest.approx(0.001)
    assert econ.loc["ROW", "gdp_source"] == "gdp.csv (ROW row)"
    assert econ.loc["USA", "name"] == "USA"  # no name column: BACI's name


def test_year_filter(inputs: Inputs) -> None:
    got = flows(run(inputs, year=2021))
    expected = {("USA", "CHN"): 800.0, ("CHN", "USA"): 4000.0, ("DEU", "USA"): 2500.0,
                ("ROW", "CHN"): 3000.0}
    assert_flows(got, expected, 1e-3)
    meta = tomllib.loads((inputs.root / "out" / "dataset.toml").read_text())
    assert meta["year"] == 2021


def test_single_year_needs_no_year(inputs: Inputs) -> None:
    write(inputs.baci, baci_text([r for r in BACI_ROWS if r.startswith("2022")]))
    assert_flows(flows(run(inputs, year=None)), EXPECTED_2022, 1e-3)


def test_all_economies_with_gdp_and_row_row(inputs: Inputs) -> None:
    write(inputs.gdp, GDP + "ROW,Rest of world,500,,\n")
    out = run(inputs, economies=None)
    econ = economies(out)
    assert list(econ.index) == ["AUS", "CHN", "DEU", "FRA", "USA", "ROW"]
    assert econ.loc["ROW", "gdp"] == pytest.approx(500_000.0)
    assert econ.loc["ROW", "gdp_source"] == "gdp.csv (ROW row)"
    expected = {
        ("USA", "CHN"): 3000.5, ("CHN", "USA"): 5250.25, ("DEU", "USA"): 3000.0,
        ("USA", "DEU"): 1500.0, ("AUS", "CHN"): 4000.0, ("AUS", "FRA"): 100.0,
        ("FRA", "AUS"): 20.0, ("ROW", "FRA"): 30.0, ("ROW", "USA"): 70.0,
        ("USA", "ROW"): 5.0, ("FRA", "DEU"): 600.0, ("ROW", "CHN"): 10.0,
    }
    assert_flows(flows(out), expected, 1e-3)


def test_namibia_iso2_na_is_not_missing(inputs: Inputs) -> None:
    write(inputs.gdp, GDP + "NAM,Namibia,12.5,2.6,Africa\n")
    econ = economies(run(inputs, economies=["usa", "NAM"]))
    assert list(econ.index) == ["USA", "NAM", "ROW"]
    assert econ.loc["NAM", "gdp"] == pytest.approx(12_500.0)
    got = flows(inputs.root / "out")
    assert got[("NAM", "ROW")] == pytest.approx((30.0 + 10.0) * 1e-3)  # to FRA and CHN


def test_old_country_file_layout(inputs: Inputs) -> None:
    write(inputs.codes, CODES_OLD)
    assert_flows(flows(run(inputs)), EXPECTED_2022, 1e-3)


def test_gdp_source_column(inputs: Inputs) -> None:
    write(inputs.gdp, "code,gdp,source\nUSA,25000,World Bank WDI\nCHN,18000,World Bank WDI\n"
                      "DEU,4000,World Bank WDI\nFRA,2800,World Bank WDI\nAUS,1700,\n")
    out = run(inputs)
    meta = tomllib.loads((out / "dataset.toml").read_text())
    assert meta["sources"]["economies"] == "World Bank WDI; gdp.csv"
    econ = economies(out)
    assert econ.loc["USA", "gdp_source"] == "World Bank WDI"
    assert "population" not in econ.columns and "region" not in econ.columns
    # AUS has a blank source cell: the file name stands in.
    assert econ.loc["ROW", "gdp_source"] == (
        "sum of the GDP of 2 economies folded into ROW (gdp.csv; World Bank WDI)")
    assert econ.loc["ROW", "gdp"] == pytest.approx(4_500_000.0)


def test_small_blocks_give_the_same_result(inputs: Inputs) -> None:
    many = [f"2022,{i},{j},{k:06d},{(k % 7) + 0.5},NA"
            for k in range(40) for i, j in ((842, 156), (36, 276), (899, 36))]
    write(inputs.baci, baci_text(many))
    a = flows(run(inputs, out="a"))
    b = flows(run(inputs, out="b", block_size=256))
    assert a == b
    # 40 products with values (k % 7) + 0.5: sum = 5 * 21 + 5 * 0 ... computed by hand:
    # k % 7 over 0..39 sums to 5 * (0+...+6) + (0+1+2+3+4) = 105 + 10 = 115; plus 40 * 0.5.
    per_pair = 115 + 20.0
    assert_flows(a, {("USA", "CHN"): per_pair, ("ROW", "DEU"): per_pair}, 1e-3)


# ---------------------------------------------------------------------------------------------
# Output folder


def test_refuses_to_overwrite_non_empty_folder(inputs: Inputs) -> None:
    out = inputs.root / "out"
    out.mkdir()
    write(out / "keep.txt", "mine")
    with pytest.raises(DataError, match=r"out: folder exists and is not empty"):
        run(inputs)
    assert (out / "keep.txt").read_text() == "mine"
    assert not (out / "trade.csv").exists()


def test_overwrite_replaces_folder(inputs: Inputs) -> None:
    out = inputs.root / "out"
    out.mkdir()
    write(out / "keep.txt", "mine")
    run(inputs, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == ["dataset.toml", "economies.csv",
                                                    "trade.csv"]
    assert sorted(p.name for p in inputs.root.iterdir() if p.name.startswith(".")) == []


def test_existing_empty_folder_is_used(inputs: Inputs) -> None:
    (inputs.root / "out").mkdir()
    assert_flows(flows(run(inputs)), EXPECTED_2022, 1e-3)


def test_output_path_that_is_a_file(inputs: Inputs) -> None:
    write(inputs.root / "out", "x")
    with pytest.raises(DataError, match=r"out: exists and is not a folder"):
        run(inputs, overwrite=True)


def test_failed_import_leaves_nothing_behind(inputs: Inputs) -> None:
    before = sorted(p.name for p in inputs.root.iterdir())
    with pytest.raises(DataError):
        run(inputs, year=1999)
    assert sorted(p.name for p in inputs.root.iterdir()) == before


# ---------------------------------------------------------------------------------------------
# Errors


def replace_row(inp: Inputs, index: int, row: str) -> None:
    rows = list(BACI_ROWS)
    rows[index] = row
    write(inp.baci, baci_text(rows))


B = re.escape(BACI_NAME)
C = re.escape(CODES_NAME)


def test_error_missing_baci_column(inputs: Inputs) -> None:
    write(inputs.baci, baci_text([r.rsplit(",", 2)[0] for r in BACI_ROWS], "t,i,j,k"))
    with pytest.raises(DataError, match=rf"^{B}: missing column 'v'"):
        run(inputs)


def test_error_non_numeric_value(inputs: Inputs) -> None:
    replace_row(inputs, 2, "2022,156,842,854231,abc,3.5")  # third data row = line 4
    with pytest.raises(DataError, match=rf"^{B}, line 4, field 'v': 'abc' is not a non-negative"):
        run(inputs)


def test_error_non_numeric_value_in_later_block(inputs: Inputs) -> None:
    rows = [f"2022,842,156,{k:06d},1.0,NA" for k in range(100)]
    rows[77] = "2022,842,156,000077,NA,NA"
    write(inputs.baci, baci_text(rows))
    with pytest.raises(DataError, match=rf"^{B}, line 79, field 'v': 'NA'"):
        run(inputs, block_size=256)


def test_error_negative_value(inputs: Inputs) -> None:
    replace_row(inputs, 0, "2022,842,156,010121,-1,NA")
    with pytest.raises(DataError, match=rf"^{B}, line 2, field 'v': '-1'"):
        run(inputs)


def test_error_unknown_exporter(inputs: Inputs) -> None:
    replace_row(inputs, 4, "2022,999,842,870323,3000.0,100")
    with pytest.raises(DataError, match=rf"^{B}, line 6, field 'i': exporter code 999 is not "
                                        rf"in {C}"):
        run(inputs)


def test_error_unknown_importer(inputs: Inputs) -> None:
    replace_row(inputs, 18, "2021,36,4,260111,3000.0,NA")
    with pytest.raises(DataError, match=rf"^{B}, line 20, field 'j': importer code 4 is not "
                                        rf"in {C}"):
        run(inputs)


def test_error_non_integer_code(inputs: Inputs) -> None:
    replace_row(inputs, 1, "2022,US,156,854231,2000.0,NA")
    with pytest.raises(DataError, match=rf"^{B}, line 3, field 'i': 'US' is not a whole number"):
        run(inputs)


def test_error_malformed_line(inputs: Inputs) -> None:
    replace_row(inputs, 3, "2022,156,842")
    with pytest.raises(DataError, match=rf"^{B}, line 5: malformed line \(expected 6 fields"):
        run(inputs)


def test_error_several_years_without_year(inputs: Inputs) -> None:
    with pytest.raises(DataError, match=rf"^{B}, field 't': the file holds several years "
                                        r"\(2021, 2022\)"):
        run(inputs, year=None)


def test_error_year_not_present(inputs: Inputs) -> None:
    with pytest.raises(DataError, match=rf"^{B}, field 't': no rows for year 2020"):
        run(inputs, year=2020)


def test_error_empty_baci(inputs: Inputs) -> None:
    write(inputs.baci, BACI_HEADER + "\n")
    with pytest.raises(DataError, match=rf"^{B}: no data rows"):
        run(inputs)


def test_error_missing_file(inputs: Inputs) -> None:
    inputs.baci.unlink()
    with pytest.raises(DataError, match=rf"{B}: no such file"):
        run(inputs)


def test_error_country_file_missing_column(inputs: Inputs) -> None:
    write(inputs.codes, CODES_NEW.replace(",country_iso3", ",iso3"))
    with pytest.raises(DataError, match=rf"^{C}: missing column 'country_iso3' \(expected "
                                        r"'country_iso3' or 'iso_3digit_alpha'\)"):
        run(inputs)


def test_error_country_file_bad_code(inputs: Inputs) -> None:
    write(inputs.codes, CODES_NEW.replace("40,Austria", "4O,Austria"))
    with pytest.raises(DataError, match=rf"^{C}, line 3, field 'country_code': '4O'"):
        run(inputs)


def test_error_country_file_conflicting_duplicate(inputs: Inputs) -> None:
    write(inputs.codes, CODES_NEW + "842,United States,US,USB\n")
    with pytest.raises(DataError, match=rf"^{C}, line 10, field 'country_code': duplicate "
                                        r"country code 842 .* line 8"):
        run(inputs)


def test_error_gdp_missing_column(inputs: Inputs) -> None:
    write(inputs.gdp, "code,value\nUSA,1\n")
    with pytest.raises(DataError, match=r"^gdp\.csv: missing column 'gdp'"):
        run(inputs)


def test_error_gdp_duplicate_code(inputs: Inputs) -> None:
    write(inputs.gdp, GDP + "usa,United States,1,1,\n")
    with pytest.raises(DataError, match=r"^gdp\.csv, line 7, field 'code': duplicate code 'USA' "
                                        r"\(first at line 2\)"):
        run(inputs)


def test_error_negative_gdp(inputs: Inputs) -> None:
    write(inputs.gdp, GDP.replace("China,18000", "China,-18000"))
    with pytest.raises(DataError, match=r"^gdp\.csv, line 3, field 'gdp': '-18000' must be "
                                        r"positive"):
        run(inputs)


def test_error_non_numeric_gdp(inputs: Inputs) -> None:
    write(inputs.gdp, GDP.replace("Germany,4000", "Germany,4k"))
    with pytest.raises(DataError, match=r"^gdp\.csv, line 4, field 'gdp': '4k' is not a number"):
        run(inputs)


def test_error_negative_population(inputs: Inputs) -> None:
    write(inputs.gdp, GDP.replace("1412", "-1"))
    with pytest.raises(DataError, match=r"^gdp\.csv, line 3, field 'population': '-1'"):
        run(inputs)


def test_error_kept_economy_without_gdp(inputs: Inputs) -> None:
    with pytest.raises(DataError, match=r"^gdp\.csv, field 'gdp': no GDP for NAM"):
        run(inputs, economies=["USA", "NAM"])


def test_error_row_without_gdp(inputs: Inputs) -> None:
    # Every economy with a GDP is kept, so ROW holds only NAM and the territory: no GDP.
    with pytest.raises(DataError, match=r"^gdp\.csv, field 'code': ROW trades with the kept "
                                        r"economies but none of the 2 codes"):
        run(inputs, economies=None)


def test_error_unknown_economy(inputs: Inputs) -> None:
    with pytest.raises(DataError, match=rf"^economies: 'XYZ' is not an ISO3 code in {C}"):
        run(inputs, economies=["USA", "XYZ"])


def test_error_economy_without_trade(inputs: Inputs) -> None:
    write(inputs.gdp, GDP + "AUT,Austria,500,9,\n")
    with pytest.raises(DataError, match=rf"^{B}: no trade with other economies in 2022 for AUT"):
        run(inputs, economies=["USA", "AUT"])


def test_error_row_in_economies(inputs: Inputs) -> None:
    with pytest.raises(DataError, match=r"^economies: ROW is added automatically"):
        run(inputs, economies=["USA", "ROW"])


@pytest.mark.parametrize("arg", ["unit", "gdp_unit"])
def test_error_unknown_unit(inputs: Inputs, arg: str) -> None:
    with pytest.raises(DataError, match=rf"^{arg}: unknown unit 'EUR million'"):
        run(inputs, **{arg: "EUR million"})


# ---------------------------------------------------------------------------------------------
# The package loader reads the output


def test_output_loads_with_package_loader(inputs: Inputs) -> None:
    try:
        from worldorder.data import load_dataset
    except ImportError:
        pytest.skip("worldorder.data.load_dataset is not available yet")
    world = load_dataset(run(inputs))
    codes = list(world.economies.index)
    assert codes == ["USA", "CHN", "DEU", "ROW"]
    for (e, i), value in EXPECTED_2022.items():
        assert world.trade[codes.index(e), codes.index(i)] == pytest.approx(value * 1e-3)
    assert world.year == 2022


# ---------------------------------------------------------------------------------------------
# Property: output total = input total between distinct output economies

ISO = {36: "AUS", 156: "CHN", 251: "FRA", 276: "DEU", 516: "NAM", 842: "USA", 899: None}

row_strategy = st.tuples(
    st.sampled_from(sorted(ISO)),
    st.sampled_from(sorted(ISO)),
    st.integers(min_value=0, max_value=10**7),  # hundredths of a thousand USD
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(row_strategy, min_size=1, max_size=30),
    keep=st.sets(st.sampled_from(["AUS", "CHN", "FRA", "DEU", "NAM", "USA"]), min_size=1),
)
def test_property_total_is_preserved(rows: list[tuple[int, int, int]], keep: set[str]) -> None:
    expected: dict[tuple[str, str], float] = {}
    for i, j, hundredths in rows:
        a = ISO[i] if ISO[i] in keep else "ROW"
        b = ISO[j] if ISO[j] in keep else "ROW"
        if a != b:
            expected[(a, b)] = expected.get((a, b), 0.0) + hundredths / 100
    expected = {k: v for k, v in expected.items() if v > 0}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inp = Inputs(
            root=root,
            baci=write(root / BACI_NAME, baci_text(
                [f"2022,{i},{j},{n:06d},{h / 100},NA" for n, (i, j, h) in enumerate(rows)])),
            codes=write(root / CODES_NAME, CODES_NEW),
            gdp=write(root / "gdp.csv", GDP + "NAM,Namibia,12,2,\nROW,Rest,100,,\n"),
        )
        traded = {c for pair in expected for c in pair}
        if not expected or not set(keep) <= traded:
            with pytest.raises(DataError, match="no trade"):
                run(inp, economies=sorted(keep))
            return
        got = flows(run(inp, economies=sorted(keep), unit="USD thousand"))
    assert set(got) == set(expected)
    assert sum(got.values()) == pytest.approx(sum(expected.values()), rel=1e-12)
    for pair, value in expected.items():
        assert got[pair] == pytest.approx(value, rel=1e-12)

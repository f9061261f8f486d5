"""Loading and validating dataset folders: every failure is one line naming file, line, field."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from worldorder.data import World, load_dataset
from worldorder.errors import DataError

TOML = """name = "tiny"
year = 2024
description = "a test dataset"
currency = "USD"
[units]
trade = "USD billion"
gdp = "USD billion"
[sources]
trade = "made up for a test"
"""
ECONOMIES = """code,name,gdp,population,military_expenditure,region
AAA,Alpha,100,10,1.5,North
BBB,Beta,50,5,,South
CCC,Gamma,30,,0.2,South
"""
TRADE = """exporter,importer,value,source
AAA,BBB,5,test
BBB,AAA,4,test
AAA,CCC,2,test
CCC,BBB,1,test
"""
TARIFFS = "importer,exporter,rate\nBBB,AAA,0.05\nAAA,CCC,0.1\n"
GROUPS = "group,member\nSOUTH,BBB\nSOUTH,CCC\n"
MEMBERSHIPS = "economy,organization,since,until\nAAA,WTO,1995,\nBBB,WTO,1995-01-01,\n"
ALLIANCES = "a,b,treaty\nAAA,BBB,Pact\n"


def make_dataset(folder: Path, **replace: str) -> Path:
    """Write the tiny valid dataset (``replace`` maps file names to other contents)."""
    files = {"dataset.toml": TOML, "economies.csv": ECONOMIES, "trade.csv": TRADE,
             "tariffs.csv": TARIFFS, "groups.csv": GROUPS, "memberships.csv": MEMBERSHIPS,
             "alliances.csv": ALLIANCES}
    for name, text in {**files, **replace}.items():
        (folder / name).write_text(text)
    return folder


def test_loads_a_valid_dataset(tmp_path: Path) -> None:
    w = load_dataset(make_dataset(tmp_path))
    assert w.codes == ["AAA", "BBB", "CCC"]
    assert w.trade[w.index("AAA"), w.index("BBB")] == 5
    assert w.tariffs[w.index("AAA"), w.index("BBB")] == 0.05  # charged by BBB on AAA
    assert w.tariffs[w.index("CCC"), w.index("AAA")] == 0.1
    assert w.groups["SOUTH"] == ("BBB", "CCC")
    assert w.expand(["SOUTH", "AAA"]) == ["AAA", "BBB", "CCC"]
    assert w.members("WTO") == ["AAA", "BBB"]
    assert np.isnan(w.economies.loc["BBB", "military_expenditure"])
    assert w.units["trade"] == "USD billion" and w.year == 2024
    assert len(w.fingerprint()) == 64
    assert w.summary()["trade_pairs"] == 4


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("economies.csv", "code,name,gdp\nAAA,Alpha,100\nAAA,Again,5\nCCC,G,1\nBBB,B,2\n",
         r"economies.csv, line 3, field 'code': duplicate economy code AAA \(first at line 2\)"),
        ("economies.csv", "code,name,gdp\nAAA,Alpha,100\nBBB,Beta,n/a\nCCC,G,1\n",
         r"economies.csv, line 3, field 'gdp': 'n/a' is not a number"),
        ("economies.csv", "code,name,gdp\nAAA,Alpha,100\nBBB,Beta,\nCCC,G,1\n",
         r"economies.csv, line 3, field 'gdp': missing value"),
        ("economies.csv", "code,name,gdp\nAAA,Alpha,-1\nBBB,Beta,2\nCCC,G,1\n",
         r"economies.csv, line 2, field 'gdp': '-1' must be positive"),
        ("economies.csv", "code,name,gdp\nAAA,Alpha,1\nbb b,Beta,2\nCCC,G,1\n",
         r"economies.csv, line 3, field 'code': 'bb b' is not a valid code"),
        ("economies.csv", "code,name\nAAA,Alpha\n", r"economies.csv: missing column 'gdp'"),
        ("trade.csv", TRADE + "AAA,ZZZ,1,x\n",
         r"trade.csv, line 6, field 'importer': unknown economy 'ZZZ'"),
        ("trade.csv", TRADE + "AAA,BBB,1,x\n",
         r"trade.csv, line 6, field 'exporter': duplicate pair AAA/BBB \(first at line 2\)"),
        ("trade.csv", TRADE + "AAA,AAA,1,x\n",
         r"trade.csv, line 6, field 'importer': exporter and importer are both 'AAA'"),
        ("trade.csv", TRADE.replace("AAA,CCC,2", "AAA,CCC,-2"),
         r"trade.csv, line 4, field 'value': '-2' must not be negative"),
        ("trade.csv", TRADE.replace("AAA,CCC,2", "AAA,CCC,lots"),
         r"trade.csv, line 4, field 'value': 'lots' is not a number"),
        ("trade.csv", "exporter,importer,value\nAAA,BBB,5\nBBB,AAA,4\n",
         r"trade.csv: economy 'CCC' has no trade with any other economy"),
        ("tariffs.csv", "importer,exporter,rate\nBBB,AAA,x\n",
         r"tariffs.csv, line 2, field 'rate': 'x' is not a number"),
        ("groups.csv", "group,member\nSOUTH,DDD\n",
         r"groups.csv, line 2, field 'member': unknown economy 'DDD'"),
        ("groups.csv", "group,member\nAAA,BBB\n",
         r"groups.csv, line 2, field 'group': group 'AAA' has the code of an economy"),
        ("memberships.csv", "economy,organization,since\nAAA,WTO,last year\n",
         r"memberships.csv, line 2, field 'since': 'last year' is not a year or ISO date"),
        ("alliances.csv", "a,b,treaty\nAAA,AAA,Self\n",
         r"alliances.csv, line 2, field 'b': an economy cannot be allied with itself"),
        ("dataset.toml", TOML.replace('gdp = "USD billion"', 'gdp = "USD million"'),
         r"dataset.toml: units.gdp 'USD million' differs from units.trade 'USD billion'"),
        ("dataset.toml", "name = [", r"dataset.toml: "),
    ],
)
def test_bad_datasets_give_one_line_errors(tmp_path: Path, file: str, text: str,
                                           message: str) -> None:
    folder = make_dataset(tmp_path)
    (folder / file).write_text(text)
    with pytest.raises(DataError, match=message) as info:
        load_dataset(folder)
    assert "\n" not in str(info.value)


def test_missing_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="no such dataset folder"):
        load_dataset(tmp_path / "nope")
    folder = make_dataset(tmp_path)
    (folder / "trade.csv").unlink()
    with pytest.raises(DataError, match=r"missing trade\.csv"):
        load_dataset(folder)


def test_domestic_flows_when_declared(tmp_path: Path) -> None:
    folder = make_dataset(tmp_path)
    (folder / "dataset.toml").write_text(TOML.replace('currency = "USD"',
                                                      'currency = "USD"\ndomestic_flows = true'))
    (folder / "trade.csv").write_text(TRADE + "AAA,AAA,80,x\n")
    w = load_dataset(folder)
    assert w.domestic_flows and w.trade[0, 0] == 80


def test_from_frames_matches_the_folder(tmp_path: Path) -> None:
    folder = load_dataset(make_dataset(tmp_path))
    econ = pd.DataFrame({"code": ["AAA", "BBB", "CCC"], "name": ["Alpha", "Beta", "Gamma"],
                         "gdp": [100.0, 50.0, 30.0]})
    from_df = World.from_frames(econ, folder.trade_frame(), tariffs=folder.tariffs,
                                groups={"SOUTH": ["BBB", "CCC"]})
    np.testing.assert_array_equal(from_df.trade, folder.trade)
    np.testing.assert_array_equal(from_df.tariffs, folder.tariffs)
    from_arr = World.from_frames(econ, folder.trade)
    np.testing.assert_array_equal(from_arr.trade, folder.trade)
    with pytest.raises(DataError, match=r"economies, row 2, field 'gdp': 'x' is not a number"):
        World.from_frames(econ.assign(gdp=["1", "x", "2"]), folder.trade)
    with pytest.raises(DataError, match=r"trade: array has shape \(2, 2\)"):
        World.from_frames(econ, np.ones((2, 2)))


@pytest.mark.parametrize(("j", "i", "value", "message"), [
    (0, 1, -1.0, r"trade: entry \[0, 1\] \(exporter 'AAA', importer 'BBB'\), field 'value': "
                 r"-1.0 must not be negative"),
    (2, 0, np.nan, r"trade: entry \[2, 0\] .*: nan is not a number"),
    (1, 2, np.inf, r"trade: entry \[1, 2\] .*: inf is not a number"),
    (1, 1, 3.0, r"trade: entry \[1, 1\] .*: an economy cannot be its own partner \(domestic"),
])
def test_array_input_is_validated_as_arrays(tmp_path: Path, j: int, i: int, value: float,
                                            message: str) -> None:
    """Arrays are checked without turning them into rows: one line naming the entry."""
    folder = load_dataset(make_dataset(tmp_path))
    econ = pd.DataFrame({"code": ["AAA", "BBB", "CCC"], "name": ["Alpha", "Beta", "Gamma"],
                         "gdp": [100.0, 50.0, 30.0]})
    bad = folder.trade.copy()
    bad[j, i] = value
    with pytest.raises(DataError, match=message):
        World.from_frames(econ, bad)
    rates = np.full((3, 3), 0.05) * ~np.eye(3, dtype=bool)
    rates[0, 2] = -0.1
    with pytest.raises(DataError, match=r"tariffs: entry \[0, 2\] .* field 'rate': -0.1 must"):
        World.from_frames(econ, folder.trade, tariffs=rates)
    # the same numbers as a long frame or as arrays give the same World
    j, i = np.nonzero(folder.tariffs)
    codes = np.asarray(folder.codes)
    long_rates = pd.DataFrame({"importer": codes[i], "exporter": codes[j],
                               "rate": folder.tariffs[j, i]})
    same = World.from_frames(econ, folder.trade_frame(), tariffs=long_rates)
    arr = World.from_frames(econ, folder.trade, tariffs=folder.tariffs)
    np.testing.assert_array_equal(same.trade, arr.trade)
    np.testing.assert_array_equal(same.tariffs, arr.tariffs)
    assert same.fingerprint() == arr.fingerprint()


def test_constituents(tmp_path: Path) -> None:
    folder = make_dataset(tmp_path)
    (folder / "constituents.csv").write_text("economy,country\nCCC,DNK\nCCC,FIN\n")
    w = load_dataset(folder)
    assert w.constituents == {"CCC": ("DNK", "FIN")}
    assert w.countries()["FIN"] == "CCC"
    (folder / "constituents.csv").write_text("economy,country\nCCC,DNK\nBBB,DNK\n")
    with pytest.raises(DataError, match=r"constituents.csv, line 3, field 'country'"):
        load_dataset(folder)
    (folder / "constituents.csv").write_text("economy,country\nCCC,Denmark\n")
    with pytest.raises(DataError, match="not an ISO 3166 alpha-3"):
        load_dataset(folder)


def test_gzip_tables(tmp_path: Path) -> None:
    """A table may be stored gzip-compressed (``trade.csv.gz``); errors still name the file,
    line and field; both forms at once are refused."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = load_dataset(make_dataset(tmp_path / "a"))
    folder = make_dataset(tmp_path / "b")
    for name in ("trade.csv", "tariffs.csv"):
        data = (folder / name).read_bytes()
        (folder / f"{name}.gz").write_bytes(gzip.compress(data, mtime=0))
        (folder / name).unlink()
    packed = load_dataset(folder)
    np.testing.assert_array_equal(packed.trade, plain.trade)
    np.testing.assert_array_equal(packed.tariffs, plain.tariffs)
    assert packed.fingerprint() == plain.fingerprint()
    (folder / "trade.csv.gz").write_bytes(gzip.compress((TRADE + "AAA,ZZZ,1,x\n").encode()))
    with pytest.raises(DataError, match=r"trade.csv.gz, line 6, field 'importer': unknown"):
        load_dataset(folder)
    (folder / "trade.csv.gz").write_bytes(b"\x1f\x8b\x08 not really gzip")
    with pytest.raises(DataError, match=r"trade.csv.gz: cannot be") as info:
        load_dataset(folder)
    assert "\n" not in str(info.value)
    (folder / "trade.csv").write_text(TRADE)
    with pytest.raises(DataError, match=r"both trade.csv and trade.csv.gz exist"):
        load_dataset(folder)


def _pandas_cells(path: Path) -> pd.DataFrame:
    """The cells as the pandas reader of ``read_csv_table`` gives them (its fallback)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True,
                     comment=None, encoding="utf-8-sig", compression="infer")
    df.columns = [str(c).strip() for c in df.columns]
    for c in df.columns:
        df[c] = df[c].str.strip()
    return df


@pytest.mark.parametrize("text", [
    "a,b\n1,2\n3,4\n", "\ufeffa,b\n1,2\n", "a,b\n1,2\n\n3,4\n", "a , b\n 1 , 2 \n",
    'a,b\n"x, y",2\n"he said ""hi""",3\n', 'a,b\n"x\ny",2\n', "a,b\n", "a,b\r\n1,2\r\n",
    "a,b\n1,2", "a,b\n,\n1,\n", 'a,b\n"",1\n', "a,b\n\t1\t,2\n", "a,b\nNA,null\n",
    "a,b\nCôte d'Ivoire,2\n",
])
def test_arrow_reader_gives_the_pandas_cells(tmp_path: Path, text: str) -> None:
    from worldorder.data.validate import _header, _read_csv_arrow, read_csv_table

    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    fast = _read_csv_arrow(path, _header(path))
    assert fast is not None
    pd.testing.assert_frame_equal(fast, _pandas_cells(path))
    pd.testing.assert_frame_equal(read_csv_table(path).df, _pandas_cells(path))


@pytest.mark.parametrize("text", [
    "a,b\n1,2\n   \n3,4\n",  # a line of spaces
    'a,b\n1, "2,3"\n',  # a quote after a space: pandas reads it as quoting
    "a,b,c\n1,2\n", "a,b\n1,2,3\n",  # rows of another length
])
def test_arrow_reader_leaves_the_odd_files_to_pandas(tmp_path: Path, text: str) -> None:
    from worldorder.data.validate import _header, _read_csv_arrow

    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    assert _read_csv_arrow(path, _header(path)) is None


def test_arrow_reader_leaves_bad_bytes_to_pandas(tmp_path: Path) -> None:
    from worldorder.data.validate import _header, _read_csv_arrow

    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n\xff\xfe,2\n")
    assert _read_csv_arrow(path, _header(path)) is None
    bad = tmp_path / "t.csv.gz"
    bad.write_bytes(b"not gzip")
    assert _read_csv_arrow(bad, ["a"]) is None


def test_bundled_tables_read_alike_by_both_readers() -> None:
    from worldorder.data.bundled import bundled_datasets, dataset_path
    from worldorder.data.validate import read_csv_table

    for name in bundled_datasets():
        for path in sorted(Path(dataset_path(name)).glob("*.csv*")):
            pd.testing.assert_frame_equal(read_csv_table(path).df, _pandas_cells(path))

"""Datasets: bad values are refused with one located line, never coerced (issue 12, items 9,
11 and 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from worldorder import DataError, load_world
from worldorder.data.validate import data_warnings


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text()
    if new.startswith("sources ="):  # a top-level value replaces the [sources] table
        text = text.replace('[sources]\ntrade = "synthetic, for tests"\n', "")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(("file", "old", "new", "message"), [
    ("dataset.toml", 'trade = "USD trillion"', "trade = 5",
     r"^dataset\.toml, field 'units\.trade': must be text, e.g\. \"USD billion\" \(got 5\)$"),
    ("dataset.toml", 'name = "mini"', 'sources = "x"\nname = "mini"',
     r"^dataset\.toml, field 'sources': must be a table"),
    ("dataset.toml", "year = 2024", "year = true",
     r"^dataset\.toml, field 'year': True is not a whole year$"),
    ("dataset.toml", 'name = "mini"', "name = 5", r"^dataset\.toml, field 'name': must be text"),
    ("dataset.toml", 'description = ""', "description = [1]",
     r"^dataset\.toml, field 'description': must be text"),
    ("dataset.toml", 'trade = "synthetic, for tests"', "trade = 1",
     r"^dataset\.toml, field 'sources\.trade': must be text"),
    ("economies.csv", "code,name,gdp", "code,name,gdp,gdp",
     r"^economies\.csv, line 1: column 'gdp' is given twice$"),
    ("memberships.csv", "USA,WHO,1948,", "USA,WHO,2024-13-45,",
     r"^memberships\.csv, line 2, field 'since': '2024-13-45' is not a year or ISO date"),
    ("memberships.csv", "USA,WHO,1948,", "USA,WHO,2024-02-30,",
     r"^memberships\.csv, line 2, field 'since': '2024-02-30' is not a year or ISO date"),
])
def test_bad_values_are_refused(mini_dataset: Path, file: str, old: str, new: str,
                                message: str) -> None:
    _edit(mini_dataset, file, old, new)
    with pytest.raises(DataError, match=message) as err:
        load_world(str(mini_dataset))
    assert "\n" not in str(err.value)


def test_a_metadata_file_that_is_not_utf8(mini_dataset: Path) -> None:
    path = mini_dataset / "dataset.toml"
    path.write_bytes(path.read_bytes().replace(b'description = ""', b'description = "\xe9"'))
    with pytest.raises(DataError, match=r"^dataset\.toml: not UTF-8 text \(byte 0xe9 on line "
                                        r"3\); save it as UTF-8$"):
        load_world(str(mini_dataset))


def test_valid_dates_still_pass(mini_dataset: Path) -> None:
    _edit(mini_dataset, "memberships.csv", "USA,WHO,1948,", "USA,WHO,2024-02-29,2025-01")
    assert load_world(str(mini_dataset)).n == 8


def test_extreme_magnitudes_are_warned(mini_dataset: Path) -> None:
    assert data_warnings(load_world(str(mini_dataset))) == []
    _edit(mini_dataset, "economies.csv", "USA,USA,29.0", "USA,USA,1e300")
    warnings = data_warnings(load_world(str(mini_dataset)))
    assert len(warnings) == 1 and warnings[0].startswith("economies.csv: GDP of USA is 1e+300")

"""World.save writes a folder that load_dataset reads back, whatever its strings hold (multi-line
descriptions, quotes, backslashes, TOML syntax, odd source keys, commas in economy names)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worldorder.data import load_dataset
from worldorder.data.world import World

# any text TOML can hold: no surrogates, no NUL (control characters are escaped)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
               max_size=40)


def _world(name: str, description: str, currency: str, sources: dict[str, str],
           economy_names: list[str]) -> World:
    codes = ["AAA", "BBB", "CCC"]
    econ = pd.DataFrame({"code": codes, "name": economy_names, "gdp": [10.0, 20.0, 30.0]})
    trade = np.array([[0.0, 1.0, 2.0], [1.5, 0.0, 0.5], [2.5, 1.0, 0.0]])
    return World.from_frames(econ, trade, name=name, year=2024, currency=currency,
                             sources=sources, description=description)


def _roundtrip(w: World, folder: Path) -> World:
    w.save(folder)
    tomllib.loads((folder / "dataset.toml").read_text(encoding="utf-8"))  # valid TOML
    return load_dataset(folder)


def test_a_multi_line_description_and_awkward_strings_survive_a_save(tmp_path: Path) -> None:
    w = _world(name='test "quoted" \\ name',
               description='Line one\nLine two with "quotes" and a \\ backslash\n\ttabbed = [x]\n'
                           "name = 'not a key'\n\"\"\"triple\"\"\"",
               currency="USD",
               sources={"trade": "BACI (CEPII), 2024\nsecond line",
                        "gdp.world bank": 'WDI "NY.GDP.MKTP.CD"', "key with spaces": "x"},
               economy_names=["Alpha, Inc.", 'Beta "B"', "Gamma\nsecond line"])
    back = _roundtrip(w, tmp_path / "ds")
    assert back.name == w.name and back.description == w.description
    assert back.sources == w.sources and back.currency == w.currency and back.year == 2024
    assert list(back.economies["name"]) == ["Alpha, Inc.", 'Beta "B"', "Gamma\nsecond line"]
    assert np.array_equal(back.trade, w.trade)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT.filter(lambda s: s.strip() != ""), description=TEXT, currency=TEXT,
       sources=st.dictionaries(TEXT.filter(bool), TEXT, max_size=3))
def test_every_string_field_of_dataset_toml_round_trips(
        tmp_path_factory: pytest.TempPathFactory, name: str, description: str, currency: str,
        sources: dict[str, str]) -> None:
    w = _world(name, description, currency or "USD", sources, ["A", "B", "C"])
    back = _roundtrip(w, tmp_path_factory.mktemp("ds") / "ds")
    assert (back.name, back.description, back.sources) == (w.name, w.description, w.sources)
    assert back.currency == w.currency and back.units == w.units

"""Shares of trade value that are measured, estimated or imputed (World.provenance_summary)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.builders import random_world
from worldorder.data import World, load_dataset, load_world
from worldorder.data.provenance import CLASSES, classify, classify_many

TOML = """name = "tiny"
year = 2024
[units]
trade = "USD billion"
gdp = "USD billion"
"""


@pytest.mark.parametrize(("confidence", "source", "expected"), [
    ("measured", "BACI", "measured"),
    ("verified (copy of the Census file)", "Census", "measured"),
    ("unverified (recalled ±5%)", "GACC", "estimated"),
    ("derived (Census total)", "derived", "estimated"),
    ("estimated", "RAS", "estimated"),
    ("stated assumption", "set to zero", "estimated"),
    ("imputed", "gravity", "imputed"),
    ("", "imputed: PPML", "imputed"),
    ("", "BACI", "unspecified"),
    ("", "", "unspecified"),
])
def test_classify(confidence: str, source: str, expected: str) -> None:
    assert classify(confidence, source) == expected
    assert classify_many(pd.Series([confidence]), pd.Series([source]))[0] == expected


def test_classify_many_on_mixed_columns_is_classify_row_by_row() -> None:
    rows = [("measured", "BACI"), ("", "imputed: PPML"), ("unverified", "GACC"), ("", "BACI"),
            (None, " Imputed gravity"), ("imputed", None), ("", None)]
    conf = pd.Series([c for c, _ in rows], index=[10, 3, 7, 1, 0, 5, 2])
    src = pd.Series([s for _, s in rows], index=conf.index)
    assert list(classify_many(conf, src)) == [classify(c or "", s or "") for c, s in rows]


def test_shares_of_a_folder(tmp_path: Path) -> None:
    (tmp_path / "dataset.toml").write_text(TOML)
    (tmp_path / "economies.csv").write_text("code,name,gdp\nAAA,A,100\nBBB,B,50\nCCC,C,30\n")
    (tmp_path / "trade.csv").write_text(
        "exporter,importer,value,source,confidence\n"
        "AAA,BBB,6,customs,measured\nBBB,AAA,3,recalled,unverified (recalled)\n"
        "AAA,CCC,1,gravity,imputed\nCCC,BBB,0,none,imputed\n")
    (tmp_path / "SOURCES.md").write_text("# sources\n")
    p = load_dataset(tmp_path).provenance_summary()
    assert p.total == 10
    assert p.shares == pytest.approx({"measured": 60.0, "estimated": 30.0, "imputed": 10.0,
                                      "unspecified": 0.0})
    assert p.rows["imputed"] == 2
    assert p.sources_file == str(tmp_path / "SOURCES.md")
    assert p.sentence() == "trade value 60.0% measured, 30.0% estimated, 10.0% imputed"


def test_a_world_without_provenance_is_unspecified() -> None:
    w = random_world(5, seed=3)
    p = w.provenance_summary()
    assert p.shares["unspecified"] == pytest.approx(100.0)
    assert "without a stated source" in p.sentence()
    assert p.sources_file is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(["measured", "unverified", "imputed", ""]), min_size=6,
                max_size=6), st.integers(0, 2**16))
def test_shares_sum_to_100_and_match_the_rows(labels: list[str], seed: int) -> None:
    rng = np.random.default_rng(seed)
    codes = ["AA", "BB", "CC"]
    pairs = [(a, b) for a in codes for b in codes if a != b]
    values = rng.uniform(0.1, 10.0, len(pairs))
    trade = pd.DataFrame({"exporter": [p[0] for p in pairs], "importer": [p[1] for p in pairs],
                          "value": values, "source": "x", "confidence": labels})
    econ = pd.DataFrame({"code": codes, "name": codes, "gdp": [100.0, 80.0, 60.0]})
    w = World.from_frames(econ, trade)
    s = w.provenance_summary().shares
    assert sum(s.values()) == pytest.approx(100.0)
    for cls in CLASSES:
        want = {"measured": "measured", "estimated": "unverified", "imputed": "imputed",
                "unspecified": ""}[cls]
        mask = np.array([lab == want for lab in labels])
        assert s[cls] == pytest.approx(100.0 * values[mask].sum() / values.sum())


def test_bundled_datasets_state_their_provenance() -> None:
    p = load_world("world-2024").provenance_summary()
    assert p.shares["unspecified"] == 0
    assert sum(p.shares.values()) == pytest.approx(100.0)
    assert load_world("world-2023").provenance_summary().shares["measured"] == pytest.approx(100)

"""The bundled country shapes and the mapping of countries to economies."""

from __future__ import annotations

from importlib import resources

from worldorder.data import load_world
from worldorder.reports.geo import country_economies, country_names, load_countries


def test_bundled_shapes_are_small_valid_geojson() -> None:
    path = resources.files("worldorder.reports").joinpath("assets/countries.geojson")
    assert len(path.read_bytes()) < 1_000_000
    geo = load_countries()
    ids = [f["id"] for f in geo["features"]]
    assert len(ids) == len(set(ids)) == 176
    assert all(len(c) == 3 and c.isupper() for c in ids)
    assert "Natural Earth" in geo["source"]
    for f in geo["features"]:
        assert f["geometry"]["type"] in ("Polygon", "MultiPolygon")
        polygons = (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon"
                    else [f["geometry"]["coordinates"]])
        for ring in (r for p in polygons for r in p):
            assert ring[0] == ring[-1] and len(ring) >= 4


def test_world_2024_economies_are_drawable() -> None:
    world = load_world("world-2024")
    names = country_names()
    missing = [c for c in world.codes if c not in names and c not in world.constituents
               and c != "ROW"]
    assert missing == ["SGP"]  # too small for a 1:110m map; the report lists it under the map
    mapping = country_economies(world.codes, world.constituents)
    assert len(mapping) == len(names)  # ROW covers every other country
    assert mapping["DEU"] == "DEU" and mapping["BGR"] == "EU-REST" and mapping["KEN"] == "ROW"


def test_without_row_other_countries_are_left_out() -> None:
    mapping = country_economies(["USA", "CHN", "AGG"], {"AGG": ["FRA", "DEU"]})
    assert mapping == {"CHN": "CHN", "DEU": "AGG", "FRA": "AGG", "USA": "USA"}
    # an economy named by its own code wins over an aggregate that lists it
    assert country_economies(["DEU", "AGG"], {"AGG": ["DEU", "FRA"]})["DEU"] == "DEU"

"""Country shapes for maps, and which economy each country belongs to.

The shapes are bundled (``assets/countries.geojson``: Natural Earth 1:110m, public domain; see
``data-raw/report_geometry.py`` for how they were made), so a map needs no network: each feature
has ``id`` = ISO 3166 alpha-3 code and ``properties.name``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["ROW", "country_economies", "country_names", "load_countries"]

ROW = "ROW"


@cache
def _geojson_text() -> str:
    return resources.files("worldorder.reports").joinpath("assets/countries.geojson").read_text(
        encoding="utf-8")


def load_countries() -> dict[str, Any]:
    """The bundled country shapes as a GeoJSON FeatureCollection (a fresh copy)."""
    return json.loads(_geojson_text())


@cache
def country_names() -> dict[str, str]:
    """ISO3 code to country name, for every country the bundled shapes draw."""
    return {f["id"]: f["properties"]["name"] for f in load_countries()["features"]}


def country_economies(economies: Iterable[str],
                      constituents: Mapping[str, Iterable[str]] | None = None,
                      countries: Iterable[str] | None = None) -> dict[str, str]:
    """Map every drawable country to the economy whose result it shows.

    An economy with an ISO3-like code stands for that country; an aggregate (e.g. ``EU-REST``)
    for its constituents; ``ROW``, when it is an economy, for every other country. Countries that
    belong to no economy are left out.

    Args:
        economies: Economy codes of the run.
        constituents: Member countries of aggregate economies.
        countries: ISO3 codes of the drawable countries (default: the bundled shapes).

    Returns:
        ISO3 country code to economy code, in the order of ``countries``.
    """
    codes = list(economies)
    drawable = list(countries) if countries is not None else list(country_names())
    owner: dict[str, str] = {}
    for code in codes:
        if constituents and code in constituents:
            for country in constituents[code]:
                owner.setdefault(str(country), code)
    for code in codes:
        if len(code) == 3 and code.isalpha() and code.isupper() and code != ROW:
            owner[code] = code
    has_row = ROW in codes
    out: dict[str, str] = {}
    for country in drawable:
        if country in owner:
            out[country] = owner[country]
        elif has_row:
            out[country] = ROW
    return out

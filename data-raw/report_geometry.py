"""Build the country shapes bundled with the reports (``reports/assets/countries.geojson``).

Provenance: Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain,
naturalearthdata.com), as shipped inside the PyPI wheel ``geopandas==0.14.4`` at
``geopandas/datasets/naturalearth_lowres/naturalearth_lowres.{shp,dbf}`` (geopandas replaced the
``-99`` ISO codes of France, Norway and Kosovo with Natural Earth's ``ADM0_A3`` codes and moved
Crimea to Ukraine; see ``geopandas/datasets/naturalearth_creation.py`` in the same wheel).

Reproduce (needs only the standard library; the wheel is a zip file)::

    pip download --no-deps -d /tmp/ne "geopandas==0.14.4"
    python data-raw/report_geometry.py /tmp/ne/geopandas-0.14.4-py3-none-any.whl

What it does: reads the shapefile and its dBASE table with small readers below, keeps one
feature per country with ``id`` = ISO 3166 alpha-3 code and ``properties.name``, drops
Antarctica (no economy lives there, and it would dominate a map), rounds coordinates to 0.01
degree and removes repeated points. Rings keep the shapefile's orientation (exterior rings
clockwise), which is what d3-geo, and so plotly.js, expects.
"""

from __future__ import annotations

import io
import itertools
import json
import struct
import sys
import zipfile
from pathlib import Path

MEMBER = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"
OUT = Path(__file__).resolve().parents[1] / "src/worldorder/reports/assets/countries.geojson"
# Natural Earth gives no ISO code to these; its ADM0_A3 codes are used instead
EXTRA_CODES = {"Somaliland": "SOL", "N. Cyprus": "CYN", "Kosovo": "KOS"}
DROP = {"ATA"}


def read_dbf(data: bytes) -> list[dict[str, str]]:
    """Records of a dBASE III table, every field as stripped text."""
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for k in range(n_records):
        start = header_len + k * record_len + 1  # skip the deletion flag
        row, off = {}, start
        for name, length in fields:
            row[name] = data[off:off + length].decode("utf-8", "replace").strip()
            off += length
        rows.append(row)
    return rows


def read_polygons(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Rings of every (multi)polygon record of an ESRI shapefile, in record order."""
    out = []
    buf = io.BytesIO(data)
    buf.seek(100)
    while True:
        head = buf.read(8)
        if len(head) < 8:
            break
        _, words = struct.unpack(">ii", head)
        content = buf.read(2 * words)
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type != 5:
            raise ValueError(f"shape type {shape_type} is not a polygon")
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44:44 + 4 * n_parts]))
        base = 44 + 4 * n_parts
        xy = struct.unpack(f"<{2 * n_points}d", content[base:base + 16 * n_points])
        points = list(zip(xy[0::2], xy[1::2], strict=True))
        bounds = [*parts, n_points]
        out.append([points[bounds[p]:bounds[p + 1]] for p in range(n_parts)])
    return out


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


def _clean(ring: list[tuple[float, float]]) -> list[list[float]]:
    pts: list[list[float]] = []
    for x, y in ring:
        p = [round(x, 2), round(y, 2)]
        if not pts or p != pts[-1]:
            pts.append(p)
    if pts[0] != pts[-1]:
        pts.append(pts[0])
    return pts


def build(wheel: Path) -> dict:
    """The GeoJSON FeatureCollection built from the wheel's shapefile."""
    with zipfile.ZipFile(wheel) as z:
        rows = read_dbf(z.read(MEMBER + ".dbf"))
        shapes = read_polygons(z.read(MEMBER + ".shp"))
    features = []
    for row, rings in zip(rows, shapes, strict=True):
        code = row["iso_a3"] if row["iso_a3"] != "-99" else EXTRA_CODES.get(row["name"], "")
        if not code or code in DROP:
            continue
        polygons: list[list[list[list[float]]]] = []
        for ring in rings:
            pts = _clean(ring)
            if len(pts) < 4:
                continue
            # shapefile: exterior rings clockwise (negative area), holes counter-clockwise
            if _signed_area(pts) < 0 or not polygons:
                polygons.append([pts])
            else:
                polygons[-1].append(pts)
        geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                    else {"type": "MultiPolygon", "coordinates": polygons})
        features.append({"type": "Feature", "id": code, "properties": {"name": row["name"]},
                         "geometry": geometry})
    features.sort(key=lambda f: f["id"])
    return {"type": "FeatureCollection",
            "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), from the "
                      "geopandas 0.14.4 wheel (naturalearth_lowres); see data-raw/"
                      "report_geometry.py",
            "features": features}


def main() -> None:
    """Write ``countries.geojson`` from the wheel named on the command line."""
    if len(sys.argv) != 2:
        sys.exit("usage: python data-raw/report_geometry.py geopandas-0.14.4-py3-none-any.whl")
    collection = build(Path(sys.argv[1]))
    codes = [f["id"] for f in collection["features"]]
    if len(codes) != len(set(codes)):
        sys.exit("duplicate country codes")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}: {len(codes)} countries, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

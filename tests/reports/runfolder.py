"""Run folders for the report tests, written as ``docs/run-format.md`` describes.

The run store writes these in production; the tests make their own so that the reports are
tested on their own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from worldorder.scenarios.timeline import TimelineResult


def write_run(result: TimelineResult, folder: Path, run_id: str = "20250101T000000Z-test-0000"
              ) -> Path:
    """Write ``result`` as a complete run folder."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = result.manifest() | {"run_id": run_id, "status": "complete", "error": None}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str),
                                          encoding="utf-8")
    for name, table in result.tables.items():  # every recorded table, one file each
        table.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def redate(src: Path, dst: Path, dates: list[str], run_id: str) -> Path:
    """Copy an undated run folder under several dates (a stand-in for a dated run).

    Each date gets the undated tables with the welfare-like columns and the tariffs scaled by
    ``(k + 1) / len(dates)``, so that the dates differ.
    """
    dst.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    manifest |= {"run_id": run_id, "dates": dates,
                 "solver": {d: next(iter(manifest["solver"].values())) for d in dates}}
    (dst / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    scaled = {"economies": ["welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct"],
              "policies": ["rate_after"], "flows": [], "timeline": []}
    for name, cols in scaled.items():
        df = pd.read_parquet(src / f"{name}.parquet")
        frames = []
        for k, d in enumerate(dates):
            part = df.assign(date=d)
            share = (k + 1) / len(dates)
            for c in cols:
                if name == "policies":
                    part[c] = part["rate_before"] + share * (part[c] - part["rate_before"])
                else:
                    part[c] = share * part[c]
            if name == "timeline" and k > 0:
                part = part.iloc[:1].assign(summary=f"Step on {d}", source="https://example.org/x")
            frames.append(part)
        pd.concat(frames, ignore_index=True).to_parquet(dst / f"{name}.parquet", index=False)
    return dst

"""The HTML report as a file: self-contained, offline, complete; and the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.builders import WORLD_ID, outside_plotly_js
from worldorder.errors import WorldorderError
from worldorder.reports import ReportError, render_report


def test_report_is_one_offline_file(tmp_path: Path, world_run: Path) -> None:
    out = render_report(world_run, tmp_path / "r.html")
    assert out == tmp_path / "r.html" and list(tmp_path.iterdir()) == [out]
    text = out.read_text(encoding="utf-8")
    rest = outside_plotly_js(text)
    assert not re.search(r"<script[^>]*\bsrc=|<link\b|<iframe|<img\b|@import|url\(", rest)
    assert "http://" not in rest and "https://" not in rest
    # plotly.js fetches its base map unless it holds one by that name: an empty one stands in
    assert '"topojson":{"world_110m":{"type":"Topology"' in rest
    # the country shapes are inside the page, once
    assert rest.count('"type":"FeatureCollection"') == 1
    # plotly.js is inlined packed (gzip + base64): the page is well under its 4.8 MB
    assert 1_500_000 < len(text) < 3_000_000


def test_report_content(tmp_path: Path, world_run: Path) -> None:
    text = render_report(world_run, tmp_path / "r.html").read_text(encoding="utf-8")
    manifest = json.loads((world_run / "manifest.json").read_text())
    for needle in ("<h1>liberation-day-2025</h1>", "How to read this", "In brief",
                   "Who gains and who loses", "Prices, wages and jobs",
                   "where the imposers buy from", "Timeline of actions",
                   "Scenario, parameters and provenance", "reciprocal_tariff",
                   manifest["dataset"]["sha256"], "ignatenko2025", "Executive Order 14257",
                   "US Census Bureau", "Singapore (SGP)", "Natural Earth"):
        assert needle in text, needle
    figures = re.findall(r'data-figure="([^"]+)"', text)
    assert figures == ["fig-map", "fig-gains", "fig-indicators", "fig-trade", *SECURITY]
    # a table of contents links every section; the scenario file is folded away
    heads = re.findall(r'<h2 id="([^"]+)">', text)
    assert len(heads) >= 6 and all(f'<a href="#{h}">' in text for h in heads)
    assert re.search(r"<details><summary>Scenario file \(\d+ lines\)</summary><pre>", text)
    for key in figures:
        assert f'<script type="application/json" id="{key}">' in text


#: The security section's figures on world-2024 without a defence pledge (no spending paths).
SECURITY = ["fig-sec-order", "fig-sec-polarity", "fig-sec-regions", "fig-sec-network",
            "fig-sec-alignment"]


def test_dated_report(tmp_path: Path, dated_run: Path) -> None:
    text = render_report(dated_run, tmp_path / "r.html").read_text(encoding="utf-8")
    rest = outside_plotly_js(text)
    # a source given as a URL becomes a link (not fetched); nothing else names a URL
    urls = re.findall(r"https?://[^\s\"'<]+", rest)
    assert set(urls) == {"https://www.federalregister.gov/d/2025-02408"}
    assert '<a href="https://www.federalregister.gov/d/2025-02408"' in rest
    assert re.findall(r'data-figure="([^"]+)"', text) == [
        "fig-map", "fig-gains", "fig-indicators", "fig-over-time", "fig-trade", *SECURITY]
    assert "2025-02-04 to 2025-07-22 (3 solved dates)" in text
    assert "<b>USA</b> on JPN 25.2% → 15.0%" in text  # the deal's tariff change
    assert "Nothing the trade model prices" in text  # the withdrawal from the WHO


def test_a_long_timeline_scrolls_in_its_own_box(tmp_path: Path, dated_run: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from worldorder.reports import sections

    text = render_report(dated_run, tmp_path / "short.html").read_text(encoding="utf-8")
    assert 'class="scrollbox"' not in text and "scroll inside the box" not in text
    monkeypatch.setattr(sections, "TIMELINE_BOX_ROWS", 1)
    text = render_report(dated_run, tmp_path / "long.html").read_text(encoding="utf-8")
    box = text.index('<div class="scrollbox"')
    assert text.index("<h2 id=\"timeline-of-actions\">") < box < text.index(
        '<table class="timeline">') and "steps scroll inside the box (printed whole)" in text
    # on paper the box lets the table print whole
    assert re.search(r"@media print \{ \.scrollbox \{ max-height: none; overflow: visible", text)


def test_default_path_and_errors(tmp_path: Path, world_run: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert render_report(world_run) == Path("reports") / f"{WORLD_ID}.html"
    assert (tmp_path / "reports" / f"{WORLD_ID}.html").is_file()
    with pytest.raises(ReportError, match="is a folder"):
        render_report(world_run, tmp_path)
    with pytest.raises(ReportError, match="not a run folder"):
        render_report(tmp_path / "reports")


def test_cli_writes_html(tmp_path: Path, runs_dir: Path, world_run: Path, cli) -> None:
    out = tmp_path / "x.html"
    res = CliRunner().invoke(cli, ["report", WORLD_ID[:18], "--runs-dir", str(runs_dir),
                                   "--out", str(out), "--economies", "USA,JPN", "--top", "4"])
    assert res.exit_code == 0, res.output
    assert f"Wrote {out}" in res.output and WORLD_ID in res.output
    assert "Japan (JPN)" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "pdf"], "--format 'pdf': expected one of html, png"),
    (["--economies", "USA,XXX"], "economy 'XXX' is not in run"),
])
def test_cli_errors_are_worldorder_errors(tmp_path: Path, world_run: Path, cli, args,
                                          message: str) -> None:
    res = CliRunner().invoke(cli, ["report", str(world_run), "--out",
                                   str(tmp_path / "x.html"), *args])
    assert isinstance(res.exception, WorldorderError)
    assert message in str(res.exception)

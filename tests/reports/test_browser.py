"""The report in a real browser: headless Chromium, network blocked.

Skipped only where no Chromium or Chrome is installed (``make test`` installs Debian's
``chromium``). Checks: the page draws every figure without a JavaScript error, requests nothing
from the network, draws one shape per country, and its screenshot is not blank; the same for the
comparison page; the PNG export writes real images.
"""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest

from worldorder.reports import render_comparison, render_png, render_report
from worldorder.reports.browser import find_browser, headless
from worldorder.reports.run import load_run
from worldorder.reports.security import security_figures

pytestmark = pytest.mark.skipif(find_browser() is None,
                                reason="no Chromium/Chrome installed (Debian: apt-get install "
                                       "chromium; `make test` tries to install it)")

OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=20000")
# requests Chromium itself makes (time, update and account checks), never the page's
BROWSER_OWN = re.compile(r"^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gstatic\.com)/")


def open_page(page: Path, tmp: Path, extra: tuple[str, ...] = ()) -> tuple[str, str, list[str]]:
    """Load ``page`` offline; return the DOM after scripts ran, the browser log and every URL
    the browser requested."""
    netlog = tmp / f"{page.stem}-net.json"
    proc = headless(page, [*OFFLINE, f"--log-net-log={netlog}", "--dump-dom", *extra])
    urls = re.findall(r'"url":"([^"]+)"', netlog.read_text(errors="replace")) \
        if netlog.is_file() else []
    return proc.stdout, proc.stderr, urls


def console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines()
            if ":CONSOLE" in line and re.search(r"Uncaught|Error|error|Failed", line)]


def png_signal(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct 4-byte runs in the decoded image data.

    A blank image (one colour) decodes, whatever its PNG row filters, to a handful of distinct
    runs; a drawn page to thousands. Needs only zlib."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {2: 3, 6: 4, 0: 1, 4: 2}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    assert len(raw) == height * (1 + width * channels)
    words = np.frombuffer(raw[: len(raw) // 4 * 4], dtype="<u4")
    return width, height, len(np.unique(words))


@pytest.mark.parametrize(("fixture", "figures", "grey"), [
    ("world_run", 4, 0), ("dated_run", 5, 0), ("mini_run", 4, 168)])
def test_report_renders_offline_without_errors(fixture: str, figures: int, grey: int,
                                               tmp_path: Path, request) -> None:
    folder = request.getfixturevalue(fixture)
    figures += len(security_figures(load_run(folder)))  # the security section's, if any
    page = render_report(folder, tmp_path / f"{fixture}.html")
    dom, log, urls = open_page(page, tmp_path)
    body = re.search(r"<body[^>]*>", dom)
    assert body, log[-2000:]
    assert "data-error" not in body.group(0), body.group(0)
    assert f'data-rendered="{figures}"' in body.group(0), (body.group(0), console_errors(log))
    assert console_errors(log) == []
    page_requests = [u for u in urls if not u.startswith(("file:", "data:", "blob:", "about:",
                                                          "chrome:"))
                     and not BROWSER_OWN.match(u)]
    assert page_requests == []
    assert {u for u in urls if u.startswith("file:")} <= {page.resolve().as_uri()}
    # one shape per country: 176 countries, shaded or (without ROW) grey
    shapes = re.findall(r'<path class="choroplethlocation"', dom)
    assert len(shapes) == 176
    assert len(re.findall(r'class="choroplethlocation" fill="rgb\(233, 233, 233\)"', dom)) == grey


def test_screenshot_is_not_blank(tmp_path: Path, world_run: Path) -> None:
    page = render_report(world_run, tmp_path / "report.html")
    shot = tmp_path / "report.png"
    headless(page, [*OFFLINE, f"--screenshot={shot}", "--window-size=1400,3000",
                    "--hide-scrollbars"])
    width, height, distinct = png_signal(shot)
    assert (width, height) == (1400, 3000)
    assert distinct > 2000, distinct
    assert shot.stat().st_size > 100_000


def test_png_export(tmp_path: Path, mini_run: Path) -> None:
    written = render_png(mini_run, tmp_path / "mini.png", scale=1)
    assert [p.name for p in written] == ["mini-map.png", "mini-gains.png",
                                         "mini-indicators.png", "mini-trade.png"]
    for p in written:
        width, _, distinct = png_signal(p)
        assert width == 1200 and distinct > 500, (p.name, distinct)


def test_comparison_renders_offline_and_is_not_blank(tmp_path: Path, strategy_run: Path,
                                                      mirror_run: Path, mini_run: Path) -> None:
    page = render_comparison([strategy_run, mirror_run, mini_run], tmp_path / "compare.html")
    shot = tmp_path / "compare.png"
    size = ("--window-size=1300,2400", "--hide-scrollbars")
    dom, log, urls = open_page(page, tmp_path, (f"--screenshot={shot}", *size))
    body = re.search(r"<body[^>]*>", dom)
    assert body, log[-2000:]
    assert "data-error" not in body.group(0), body.group(0)
    assert 'data-rendered="4"' in body.group(0), (body.group(0), console_errors(log))
    assert console_errors(log) == []
    page_requests = [u for u in urls if not u.startswith(("file:", "data:", "blob:", "about:",
                                                          "chrome:"))
                     and not BROWSER_OWN.match(u)]
    assert page_requests == []
    assert {u for u in urls if u.startswith("file:")} <= {page.resolve().as_uri()}
    # three maps of 176 countries, and a bar for each of three runs and seven economies
    assert len(re.findall(r'<path class="choroplethlocation"', dom)) == 3 * 176
    assert len(re.findall(r'<g class="point"><path', dom)) == 3 * 7
    if not shot.is_file():  # an older headless mode does one thing per run
        headless(page, [*OFFLINE, f"--screenshot={shot}", *size])
    width, height, distinct = png_signal(shot)
    assert (width, height) == (1300, 2400)
    assert distinct > 2000, distinct

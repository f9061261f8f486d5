"""Reports are written whole or not at all, with one-line errors (issue 12, items 8 and 9)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from worldorder.errors import ReportError
from worldorder.reports import render
from worldorder.reports.render import render_report, write_atomic


def test_a_full_disk_leaves_the_old_report_whole(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "report.html"
    out.write_text("the previous report")
    real = os.fsync

    def full(fd: int) -> None:  # the data did not fit
        real(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(render.os, "fsync", full)
    with pytest.raises(ReportError, match=r"report\.html: cannot be written \(No space left "
                                          r"on device\); nothing was written$"):
        write_atomic(out, "x" * 1_000_000)
    assert out.read_text() == "the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_new_report_replaces_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old")
    assert write_atomic(out, "new") == out and out.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_a_name_too_long_is_one_line(tmp_path: Path, world_run: Path) -> None:
    out = tmp_path / ("r" * 5000 + ".html")
    with pytest.raises(ReportError, match=r"cannot be written \(File name too long\)") as err:
        render_report(world_run, out)
    message = str(err.value)
    assert "\n" not in message and len(message) < 300

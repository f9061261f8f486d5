"""Kills and full disks (issue 12, items 6, 8 and 9): SIGTERM, SIGKILL and Ctrl-C in
subprocesses, a full disk both simulated (a write raising ENOSPC) and real (a small tmpfs)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.builders import ScenarioWriter, cli
from worldorder.runs import RunError, execute_run, list_runs, load_run
from worldorder.runs import tables as run_tables
from worldorder.runs.integrity import clean_stale
from worldorder.runs.manifest import read_manifest

WORLDORDER = Path(sys.executable).parent / "worldorder"

# runs the CLI with a simulation that waits, so that a signal lands mid-run
SLOW_RUN = textwrap.dedent("""
    import sys, time
    import worldorder.runs.store as store
    def slow(*args, **kwargs):
        time.sleep(60)
    store.simulate_timeline = slow
    from worldorder.cli.app import main
    sys.argv = ["worldorder", "run", sys.argv[1], "--runs-dir", sys.argv[2]]
    main()
""")


def _start_slow_run(scenario: Path, runs_dir: Path) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen([sys.executable, "-c", SLOW_RUN, str(scenario), str(runs_dir)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        tmp = [p for p in runs_dir.glob(".*.tmp") if (p / "log.txt").is_file()]
        if tmp:
            return proc, tmp[0]
        if proc.poll() is not None:
            raise AssertionError(proc.communicate())
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the run did not start")


def test_sigterm_is_recorded_as_interrupted(write_scenario: ScenarioWriter,
                                            runs_dir: Path) -> None:
    proc, _ = _start_slow_run(write_scenario(), runs_dir)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, (out, err)
    assert "Traceback" not in err and err.strip() == "terminated (SIGTERM)"
    df = list_runs(runs_dir)
    assert df["status"].tolist() == ["interrupted"]
    assert df["error"].iloc[0] == "terminated (SIGTERM)"
    assert not list(runs_dir.glob(".*"))  # renamed into place


def test_sigkill_leaves_a_stale_run_that_is_shown_and_cleaned(
        write_scenario: ScenarioWriter, runs_dir: Path) -> None:
    proc, tmp = _start_slow_run(write_scenario(), runs_dir)
    proc.kill()
    proc.communicate(timeout=60)
    df = list_runs(runs_dir)
    assert df["status"].tolist() == ["stale"] and df["run_id"].iloc[0] == tmp.name[1:-4]
    assert "ended without finishing" in df["error"].iloc[0]
    assert clean_stale(runs_dir) == [tmp] and not tmp.exists()
    assert list_runs(runs_dir).empty


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("delay", [0.3, 1.0])  # the first second: imports
def test_a_signal_during_start_up_is_not_a_traceback(sig: signal.Signals, delay: float,
                                                     tmp_path: Path) -> None:
    proc = subprocess.Popen([str(WORLDORDER), "runs", "list", "--runs-dir",
                             str(tmp_path / "runs")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(delay)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    if proc.returncode == -sig:  # before Python itself was up: the default action
        return
    if proc.returncode != 0:  # the signal came before the command finished
        assert proc.returncode == (130 if sig == signal.SIGINT else 143), err
        assert err.strip() in ("interrupted", "terminated (SIGTERM)")


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_full_disk_while_writing_tables(write_scenario: ScenarioWriter, runs_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run_tables.pq, "write_table", _enospc)
    with pytest.raises(RunError, match="cannot write the run \\(No space left on device\\); "
                                       "kept as failed") as err:
        execute_run(write_scenario(), runs_dir=runs_dir)
    assert "\n" not in str(err.value)
    (run,) = list(runs_dir.iterdir())  # no hidden folder, no part files
    assert not run.name.startswith(".") and not list(run.glob("*.part"))
    rec = load_run(run.name, runs_dir)
    assert rec.status == "failed" and "No space left" in rec.error


def test_full_disk_everywhere_leaves_nothing(write_scenario: ScenarioWriter, runs_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from worldorder.runs import manifest as run_manifest

    monkeypatch.setattr(run_tables.pq, "write_table", _enospc)
    calls = {"n": 0}
    real = run_manifest.os.replace

    def replace(src, dst):  # the first manifest is written, every later write fails
        calls["n"] += 1
        if calls["n"] > 1:
            _enospc()
        real(src, dst)

    monkeypatch.setattr(run_manifest.os, "replace", replace)
    with pytest.raises(RunError, match="nothing was kept"):
        execute_run(write_scenario(), runs_dir=runs_dir)
    assert list(runs_dir.iterdir()) == []


def test_a_record_after_the_run_log_is_closed_prints_nothing(tmp_path: Path) -> None:
    """A full disk: recording the failed run is tried twice, the second time after the log's
    handler was closed; logging's last-resort handler printed ``failed: cannot write the run
    (...)`` above the one ``error:`` line (in a fresh process: pytest's own logging setup
    hides it)."""
    code = ("import sys; from pathlib import Path; from worldorder.runs.runlog import RunLog; "
            "log = RunLog(Path(sys.argv[1]), 'r1'); log.close(); "
            "log.error('failed: cannot write the run')")
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path / "log.txt")],
                         capture_output=True, text=True, check=True)
    assert res.stderr == ""


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 48 KiB tmpfs (needs the right to mount: skipped otherwise)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(mnt)],
                         capture_output=True)
    if res.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_real_full_disk(write_scenario: ScenarioWriter, small_disk: Path) -> None:
    """Fill the disk, leaving less and less room, and run each time: every outcome is a
    complete run or one clear error, and nothing half-written is left."""
    filler = small_disk / "filler"
    outcomes = set()
    for room in (40_000, 20_000, 12_000, 6_000, 2_000, 0):
        for p in small_disk.iterdir():
            if p != filler:
                subprocess.run(["rm", "-rf", str(p)], check=True)
        filler.unlink(missing_ok=True)
        free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
        with open(filler, "wb") as fh, contextlib.suppress(OSError):
            fh.write(b"\0" * max(0, free - room))
        try:
            rec = execute_run(write_scenario(), runs_dir=small_disk / "runs")
        except RunError as exc:
            assert "\n" not in str(exc) and "No space left on device" in str(exc)
            outcomes.add("error")
        else:
            outcomes.add("complete")
            assert load_run(rec.run_id, small_disk / "runs").status == "complete"
            for t in run_tables.TABLES:
                pq.read_table(rec.path / f"{t}.parquet")
        runs = small_disk / "runs"
        leftovers = [p for p in runs.iterdir()] if runs.is_dir() else []
        assert not [p for p in leftovers if p.name.startswith(".")], leftovers
        for p in leftovers:
            assert not list(p.glob("*.part"))
            assert read_manifest(p)["status"] in ("complete", "failed")
    assert "error" in outcomes


def test_a_real_full_disk_through_the_command_line(write_scenario: ScenarioWriter,
                                                   small_disk: Path) -> None:
    """``worldorder run`` onto a full disk: exit 1 and one ``error:`` line naming the run
    folder, which is kept as failed or removed, never hidden or half-written."""
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    with open(filler, "wb") as fh, contextlib.suppress(OSError):
        fh.write(b"\0" * max(0, free - 12_000))
    r = cli("run", str(write_scenario()), "--runs-dir", str(small_disk / "runs"))
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert r.returncode == 1 and len(lines) == 1, r.stderr
    assert lines[0].startswith("error: ") and "No space left on device" in lines[0]
    runs = small_disk / "runs"
    for p in runs.iterdir() if runs.is_dir() else []:
        assert not p.name.startswith(".") and not list(p.glob("*.part"))
        assert read_manifest(p)["status"] == "failed"


def _children(pid: int) -> set[int]:
    """Every descendant of ``pid`` (from /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = {int(x) for x in (task / "children").read_text().split()}
            except OSError:
                continue
            todo += list(kids - found)
            found |= kids
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _pool_workers(pid: int) -> set[int]:
    """The live worker processes under ``pid``: its descendants but a multiprocessing resource
    tracker or fork server (whose children, the workers, are counted)."""
    out = set()
    for p in _children(pid):
        try:
            cmd = Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace")
            ppid = int(Path(f"/proc/{p}/stat").read_text().split(")")[-1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        helper = "resource_tracker" in cmd or ("forkserver" in cmd and ppid == pid)
        if not helper and _alive(p):
            out.add(p)
    return out


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")
def test_sigterm_stops_the_worker_pool_with_its_parent(tmp_path: Path) -> None:
    """``strategy coalitions --workers 2`` under SIGTERM once both workers are busy: the parent
    exits (143, "terminated (SIGTERM)") and takes every process it started with it, so nothing
    holds the output pipe, and its --out folder is not left half-written (issue 12, item 6)."""
    pytest.importorskip("worldorder.executor")
    out = tmp_path / "out"
    proc = subprocess.Popen([str(WORLDORDER), "strategy", "coalitions", "--workers", "2",
                             "--candidates", "EU,JPN,KOR,CAN,GBR,AUS,MEX,CHE",
                             "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    workers: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _pool_workers(proc.pid)
        if len(workers) >= 2:
            break
        time.sleep(0.1)
    if proc.poll() is not None:
        pytest.skip("the command finished before its workers could be seen")
    assert len(workers) >= 2, "the two workers never started"
    everything = _children(proc.pid)  # workers, fork server, resource tracker
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)  # returns only when no process holds the pipes
    assert proc.returncode == 143, err
    assert "Traceback" not in err and err.strip() == "terminated (SIGTERM)"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in everything):
        time.sleep(0.1)
    assert not [p for p in everything if _alive(p)]
    assert not out.exists() and list(tmp_path.iterdir()) == []

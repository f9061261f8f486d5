"""The execution seam: order, bit-identity across worker counts, one BLAS thread per worker,
errors, and workers that never outlive their parent (Ctrl-C, SIGTERM, SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from worldorder.errors import ExecutorError
from worldorder.executor import (
    BACKENDS,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    get_executor,
    register_backend,
    worker_threads,
)

ROOT = Path(__file__).resolve().parents[1]


def seeded_work(item: tuple[int, int]) -> np.ndarray:
    """Randomness from the item's seed only, and some BLAS work on it."""
    seed, n = item
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, n))
    return np.linalg.solve(a @ a.T + n * np.eye(n), rng.standard_normal(n))


def slow_identity(x: int) -> int:
    time.sleep(0.05 * (3 - x % 3))  # later items finish first
    return x


def threads_here(_: int) -> dict[str, int]:
    return worker_threads()


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


@pytest.fixture(scope="module")
def pool() -> ProcessExecutor:
    with ProcessExecutor(2) as ex:
        yield ex


def test_serial_and_process_keep_the_order_of_the_items(pool: ProcessExecutor) -> None:
    assert SerialExecutor().map(slow_identity, range(7)) == list(range(7))
    assert pool.map(slow_identity, range(7)) == list(range(7))
    assert pool.map(slow_identity, []) == []
    assert isinstance(pool, Executor) and isinstance(SerialExecutor(), Executor)


def test_results_are_bit_identical_with_one_or_two_workers(pool: ProcessExecutor) -> None:
    items = [(seed, 40) for seed in range(12)]
    one = get_executor(1).map(seeded_work, items)
    two = pool.map(seeded_work, items)
    assert len(one) == len(two) == 12
    assert all(np.array_equal(a, b) for a, b in zip(one, two, strict=True))
    assert not np.array_equal(one[0], one[1])  # the seeds matter


def test_each_worker_runs_one_blas_thread(pool: ProcessExecutor) -> None:
    threads = pool.map(threads_here, [0, 1, 2, 3])
    assert threads and all(threads)  # numpy's BLAS is loaded and seen
    assert all(n == 1 for found in threads for n in found.values()), threads


def test_an_error_in_an_item_propagates_and_the_next_map_starts_afresh() -> None:
    with ProcessExecutor(2) as ex:
        with pytest.raises(ValueError, match="three"):
            ex.map(fail_on_three, range(6))
        assert ex.pids() == []  # the failed pool was stopped
        assert ex.map(fail_on_three, [0, 1, 2]) == [0, 1, 2]
    with pytest.raises(ValueError, match="three"):
        SerialExecutor().map(fail_on_three, range(6))


def test_get_executor_checks_its_arguments() -> None:
    assert isinstance(get_executor(1), SerialExecutor)
    ex = get_executor(2)
    assert isinstance(ex, ProcessExecutor) and ex.workers == 2
    ex.close()
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ExecutorError, match="workers must be at least 1"):
            get_executor(bad)  # type: ignore[arg-type]
    with pytest.raises(ExecutorError, match="unknown executor backend 'nope'"):
        get_executor(2, backend="nope")
    with pytest.raises(ExecutorError, match="fork is unsafe"):
        ProcessExecutor(2, start_method="fork")


def test_a_registered_backend_is_used() -> None:
    made: list[int] = []

    def factory(n: int) -> Executor:
        made.append(n)
        return SerialExecutor()

    register_backend("test-serial", factory)
    try:
        assert get_executor(3, backend="test-serial").map(abs, [-1, 2]) == [1, 2]
        assert made == [3]
    finally:
        del BACKENDS["test-serial"]


# --------------------------------------------------------------------------- parent death

PARENT = textwrap.dedent("""
    import os, sys, time
    from worldorder.executor import ProcessExecutor

    def nap(x):
        time.sleep(60)
        return x

    if __name__ == "__main__":
        ex = ProcessExecutor(2)
        ex.map(abs, range(2))  # start the workers
        print(" ".join(map(str, ex.pids())), flush=True)
        try:
            ex.map(nap, range(4))
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
""")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _run_parent(tmp_path: Path, sig: signal.Signals) -> tuple[list[int], str]:
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    pids = [int(p) for p in proc.stdout.readline().split()]
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    time.sleep(0.5)  # the workers are now inside nap()
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return [p for p in pids if _alive(p)], out + err


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_workers_stop_when_the_parent_is_interrupted_or_killed(tmp_path: Path,
                                                               sig: signal.Signals) -> None:
    left, output = _run_parent(tmp_path, sig)
    assert left == [], f"workers still running after {sig.name}: {left}"
    if sig == signal.SIGINT:
        assert "interrupted" in output
        assert output.count("Traceback") == 0, output  # the workers ignore Ctrl-C

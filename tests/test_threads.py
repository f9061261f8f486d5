"""One BLAS thread per solver process, unless $WORLDORDER_BLAS_THREADS says otherwise; freed
memory kept unless $WORLDORDER_MEMORY says otherwise."""

from __future__ import annotations

import subprocess
import sys

import pytest

from worldorder.errors import SettingError
from worldorder.threads import ENV_VAR, MEMORY_ENV_VAR, blas_threads_setting, keep_freed_memory


def test_setting_defaults_to_one_thread_and_accepts_numbers_or_default(monkeypatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert blas_threads_setting() == 1
    monkeypatch.setenv(ENV_VAR, " 4 ")
    assert blas_threads_setting() == 4
    monkeypatch.setenv(ENV_VAR, "default")
    assert blas_threads_setting() is None
    for bad in ("0", "-2", "many", ""):
        monkeypatch.setenv(ENV_VAR, bad)
        with pytest.raises(SettingError, match=ENV_VAR):
            blas_threads_setting()


PROBE = """
import numpy, scipy.linalg
from threadpoolctl import threadpool_info
from worldorder.threads import limit_blas_threads
print(limit_blas_threads())
print(max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"))
"""


@pytest.mark.parametrize(("setting", "expected"), [(None, "1"), ("2", "2")])
def test_limit_reaches_the_loaded_blas(setting: str | None, expected: str) -> None:
    import os

    env = {k: v for k, v in os.environ.items()
           if k not in (ENV_VAR, "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    if setting is not None:
        env[ENV_VAR] = setting
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         env=env, check=True).stdout.split()
    assert out == [expected, expected]


KEEP_PROBE = """
import ctypes, numpy as np
from worldorder.threads import keep_freed_memory
kept = keep_freed_memory()
def resident_pages():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1])
arrays = [np.ones((1000, 1000)) for _ in range(8)]  # 64 MB, from the heap when kept
before = resident_pages()
del arrays
print(kept, before - resident_pages())
"""


def _probe_env(memory: str | None) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k != MEMORY_ENV_VAR}
    if memory is not None:
        env[MEMORY_ENV_VAR] = memory
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_freed_memory_is_kept_unless_the_setting_says_default() -> None:
    try:
        import os

        os.confstr("CS_GNU_LIBC_VERSION")
    except (ValueError, OSError):
        pytest.skip("not glibc")
    released = {}
    for memory in (None, "default"):
        out = subprocess.run([sys.executable, "-c", KEEP_PROBE], capture_output=True,
                             text=True, env=_probe_env(memory), check=True).stdout.split()
        released[memory] = (out[0], int(out[1]))
    pages = 64e6 / 4096
    # kept: the 64 MB stay with the process for the next arrays; default: glibc returns them
    assert released[None][0] == "True" and released[None][1] < 0.1 * pages
    assert released["default"][0] == "False" and released["default"][1] > 0.9 * pages


def test_memory_setting_is_checked(monkeypatch) -> None:
    monkeypatch.setenv(MEMORY_ENV_VAR, "sometimes")
    with pytest.raises(SettingError, match=MEMORY_ENV_VAR):
        keep_freed_memory()

"""One BLAS thread per solver process, unless $WORLDORDER_BLAS_THREADS says otherwise."""

from __future__ import annotations

import subprocess
import sys

import pytest

from worldorder.errors import SettingError
from worldorder.threads import ENV_VAR, blas_threads_setting


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

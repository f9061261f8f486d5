"""The ``worldorder`` console script (``worldorder_entry``): the collector is paused only while
the command line is imported."""

from __future__ import annotations

import subprocess
import sys


def test_collector_is_back_on_and_the_imports_frozen_when_the_command_starts() -> None:
    code = ("import gc, worldorder.cli.app as app\n"
            "app.main = lambda: print(gc.isenabled(), gc.get_freeze_count() > 1000)\n"
            "import worldorder_entry\n"
            "worldorder_entry.main()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.split() == ["True", "True"]


def test_console_script_runs_a_command() -> None:
    out = subprocess.run([sys.executable, "-c", "import sys; from worldorder_entry import main; "
                          "sys.argv[0] = 'worldorder'; sys.exit(main())", "--version"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stdout.startswith("worldorder ")

"""``--help`` at 80 columns: no type on flags, docstrings folded (issue 11, item 13)."""

from __future__ import annotations

import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from worldorder.cli.app import app
from worldorder.cli.help_format import fold_paragraphs


def _paths(command: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path of the command line, groups included."""
    out = [prefix]
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        out += _paths(sub, (*prefix, name))
    return out


def test_every_help_shows_no_type_on_flags_and_fits_80_columns() -> None:
    paths = _paths(typer.main.get_command(app))
    assert ("strategy", "bargain") in paths and ("runs", "sql") in paths
    runner = CliRunner()
    for path in paths:
        r = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "80"})
        assert r.exit_code == 0, (path, r.output)
        assert "--help" in r.output, path
        assert "<bool>" not in r.output, (path, r.output)
        assert max(map(len, r.output.splitlines())) <= 80, path


def test_docstrings_are_folded_to_the_terminal() -> None:
    r = CliRunner().invoke(app, ["strategy", "bargain", "--help"], env={"COLUMNS": "80"})
    text = " ".join(r.output.split())
    # the docstring's source line breaks (after "members);") no longer break the help
    assert "(income-weighted over a group's members); the pledge is" in text
    lines = [ln.strip() for ln in r.output.splitlines()]
    assert "members);" not in lines[:12]  # no line ends early at the source's line break


def test_fold_paragraphs() -> None:
    assert fold_paragraphs("One line\n    and the next.\n\n    Second paragraph\n    here.") \
        == "One line and the next.\n\nSecond paragraph here."
    kept = "A list:\n- one\n- two"
    assert fold_paragraphs(kept) == kept
    assert fold_paragraphs(None) is None and fold_paragraphs("") == ""


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.from_regex(r"[abc][abc ,.]{0,10}", fullmatch=True), min_size=1,
                         max_size=4), min_size=1, max_size=3))
def test_folding_keeps_every_word_and_each_paragraph(paragraphs: list[list[str]]) -> None:
    text = "\n\n".join("\n".join(lines) for lines in paragraphs)
    folded = fold_paragraphs(text)
    assert folded is not None
    assert folded.split() == text.split()
    assert "\n" not in folded.replace("\n\n", "")


def test_lazy_commands_are_listed_without_being_made_and_made_once() -> None:
    from worldorder.cli.help_format import LazyCommands

    made: list[str] = []

    def maker(name: str):  # type: ignore[no-untyped-def]
        def make() -> str:
            made.append(name)
            return f"<{name}>"
        return make

    cmds = LazyCommands({"run": "<run>"}, {"runs": maker("runs"), "run": maker("run"),
                                           "data": maker("data")})
    assert list(cmds) == ["run", "runs", "data"] and len(cmds) == 3
    assert "runs" in cmds and "nope" not in cmds and made == []
    assert cmds.get("data") == "<data>" and cmds["data"] == "<data>" and made == ["data"]
    assert cmds["run"] == "<run>"  # a made command is not replaced by a later one
    cmds["extra"] = "<extra>"
    del cmds["runs"]
    assert list(cmds) == ["run", "data", "extra"] and made == ["data"]
    assert dict(cmds.items()) == {"run": "<run>", "data": "<data>", "extra": "<extra>"}


def test_root_group_lists_every_command_in_order_and_makes_only_the_one_run() -> None:
    from worldorder.cli import app as app_module

    group = typer.main.get_command(app)
    names = list(group.commands)  # type: ignore[attr-defined]
    assert names[:6] == ["run", "scenarios", "actions", "validate", "plugins", "optimal-tariff"]
    assert names[6:] == list(app_module._LATER)
    assert {"sweep", "data", "runs", "strategy", "security", "agents"} <= set(names)
    assert group.commands._later.keys() == app_module._LATER.keys()  # type: ignore[attr-defined]
    r = CliRunner().invoke(app, ["data", "--help"], env={"COLUMNS": "80"})
    assert r.exit_code == 0 and "show" in r.output

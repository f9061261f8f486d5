"""How ``--help`` reads: no type shown for flags, docstrings folded to the terminal.

Every ``typer.Typer`` of the command line is made with ``cls=HelpGroup``. Typer 0.29 shows a
type column for every option, flags included (``--help <bool>``, ``--wide <bool>``); a flag
takes no value, so :func:`quiet_flags` gives each flag an empty metavar, which the help shows
as no type on every typer version (older ones already hid it). Typer keeps a docstring's single
line breaks in its rich help, so a docstring wrapped at 100 characters in the source came out
broken mid-sentence at 80 columns; :func:`fold_paragraphs` joins the lines of each paragraph
(blank lines still separate paragraphs) so that the help wraps at the terminal's width.

The group applies both to itself and to every command and sub-group it hands out
(:meth:`HelpGroup.get_command`), which is the path of every ``worldorder ... --help``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any

from typer.core import TyperGroup

__all__ = ["HelpGroup", "LazyCommands", "fold_paragraphs", "quiet_flags"]

_BLANK = re.compile(r"\n\s*\n")


def fold_paragraphs(text: str | None) -> str | None:
    """``text`` with the line breaks inside each paragraph replaced by spaces.

    Paragraphs are separated by blank lines; a paragraph whose lines start with ``- `` or
    ``* `` (a list) or with four spaces of indentation (code) keeps its line breaks.
    """
    if not text:
        return text
    out = []
    for para in _BLANK.split(inspect.cleandoc(text)):
        lines = para.splitlines()
        keep = any(ln.lstrip().startswith(("- ", "* ")) or ln.startswith("    ")
                   for ln in lines)
        out.append(para if keep else " ".join(ln.strip() for ln in lines if ln.strip()))
    return "\n\n".join(out)


def quiet_flags(params: Any) -> None:
    """Give every flag among ``params`` (options taking no value) an empty metavar, so that
    the help shows no type for it."""
    for param in params or ():
        if getattr(param, "is_flag", False) and getattr(param, "metavar", "") is None:
            param.metavar = ""


def _tidy(command: Any, ctx: Any) -> None:
    """Quiet the flags of ``command`` (its help option included) and fold its docstring."""
    if getattr(command, "_worldorder_tidy", False):
        return
    quiet_flags(getattr(command, "params", ()))
    get_help_option = getattr(command, "get_help_option", None)
    if ctx is not None and callable(get_help_option):
        quiet_flags([get_help_option(ctx)])  # typer caches the option, so this persists
    if isinstance(getattr(command, "help", None), str):
        command.help = fold_paragraphs(command.help)
    command._worldorder_tidy = True


class HelpGroup(TyperGroup):
    """A typer group whose help, and its commands' help, shows no type on flags and folds
    docstrings (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quiet_flags(self.params)
        if isinstance(self.help, str):
            self.help = fold_paragraphs(self.help)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        quiet_flags([option])
        return option

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _tidy(command, ctx)
        return command


class LazyCommands(MutableMapping[str, Any]):
    """A group's commands by name, some made only when first asked for.

    Typer turns every command of a group into a click command (reading each function's
    signature and type hints) before the group runs anything; for ``worldorder run`` that is
    the signatures of every other command and sub-command (some 25). Here ``later`` maps a name
    to a function that makes its command; the names are listed (in help, in "did you mean"
    suggestions) without making anything, and a command is made when it is looked up (to run it,
    or to show it in a help listing).

    Args:
        made: Commands already made, in order.
        later: Name -> maker, listed after ``made`` in this order.
    """

    def __init__(self, made: Mapping[str, Any], later: Mapping[str, Callable[[], Any]]) -> None:
        self._made = dict(made)
        self._later = {k: v for k, v in later.items() if k not in self._made}
        self._order = [*self._made, *self._later]

    def __getitem__(self, name: str) -> Any:
        if name in self._later:
            self._made[name] = self._later.pop(name)()
        return self._made[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._later.pop(name, None)
        self._made[name] = command
        if name not in self._order:
            self._order.append(name)

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self._made.pop(name, None)
        self._later.pop(name, None)
        self._order.remove(name)

    def __contains__(self, name: object) -> bool:
        return name in self._made or name in self._later

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._order))

    def __len__(self) -> int:
        return len(self._order)

"""Documentation of the scenario actions, generated from their pydantic models.

``worldorder actions NAME`` and ``docs/actions.md`` show, for every registered action, its
docstring, each field with its type, default and unit, and an example. Everything comes from
the class itself (field annotations, defaults, ``Field(description=...)``, the docstring) and
from the first use of the action in a bundled scenario, so a new action is documented as soon
as it is registered. Units follow from the types: a :data:`~worldorder.scenarios.rates.Rate`
is a fraction (0.25 = 25%); fields named ``*_pct_gdp`` are percent of GDP, ``share`` a
fraction from 0 to 1, ``upper`` the cap of a rate search (a fraction), ``amount`` in ``unit``.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from worldorder.engine.rates import check_rate
from worldorder.registry import ACTIONS
from worldorder.scenarios.scenario import bundled_scenarios

__all__ = ["action_doc", "action_docs_markdown", "type_text"]

CODE_FIELDS = {"by", "on", "exempt", "partner", "imposer", "economy", "against", "members",
               "players", "partners", "parties", "target", "from_host", "to_host", "donor",
               "mediator", "recipients", "aggregate"}
RATE_UNIT = "fraction (0.25 = 25%)"


def _is_rate(ann: Any) -> bool:
    return get_origin(ann) is Annotated and any(
        getattr(m, "func", None) is check_rate for m in get_args(ann)[1:])


def type_text(ann: Any, field: str = "") -> str:
    """A field's type in words: ``code or list of codes``, ``rate``, ``one of a, b``..."""
    if _is_rate(ann):
        return "rate"
    origin, args = get_origin(ann), get_args(ann)
    if origin is Annotated:
        return type_text(args[0], field)
    if origin in (Union, types.UnionType):
        parts = [type_text(a, field) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(parts))
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin is list:
        inner = type_text(args[0], field) if args else "value"
        return f"list of {inner}s" if inner in ("code", "text", "number") else f"list of {inner}"
    if origin is dict:
        return f"{{code: {type_text(args[1], field)}}}" if len(args) == 2 else "mapping"
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return f"{ann.__name__.lower()} {{{', '.join(ann.model_fields)}}}"
    simple = {str: "code" if field in CODE_FIELDS else "text", float: "number",
              int: "integer", bool: "true or false", dt.date: "date (YYYY-MM-DD)"}
    return simple.get(ann, getattr(ann, "__name__", str(ann)))


def _unit(name: str, ann: Any, cls: type) -> str:
    text = type_text(ann, name)
    if "rate" in text.split() or "rate}" in text:
        return RATE_UNIT
    if name.endswith("_pct_gdp"):
        return "% of GDP"
    if name == "share":
        return "fraction from 0 to 1"
    if name == "upper":
        return "fraction (1.0 = 100%), cap of the search"
    if name == "cost":
        return "fraction: iceberg cost increase (0.1 = 10%)"
    if name == "amount" and "unit" in cls.model_fields:
        return "in 'unit'"
    return ""


def _default(field: Any) -> str:
    if field.default is PydanticUndefined:
        if field.default_factory is not None:
            value = field.default_factory()
            return "[]" if value == [] else str(value)
        return "required"
    if field.default is None:
        return "none"
    if isinstance(field.default, bool):
        return str(field.default).lower()
    if field.default == "":
        return "''"
    return str(field.default)


PREFERRED = ("liberation-day-2025", "us-2025")


def _block(lines: list[str], name: str) -> list[str]:
    """The list item (policy or step) of a YAML text that holds the key ``name``."""
    key = re.compile(rf"^(\s*)(- )?{re.escape(name)}:(\s|$)")
    for k, line in enumerate(lines):
        if not key.match(line):
            continue
        start = k
        while start > 0 and not lines[start].lstrip().startswith("- "):
            start -= 1
        indent = len(lines[start]) - len(lines[start].lstrip())
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(
                lines[end].lstrip()) > indent):
            end += 1
        return _without_notes([ln[indent:] for ln in lines[start:end] if ln.strip()])
    return []


def _without_notes(block: list[str]) -> list[str]:
    """``block`` without its ``source`` and ``note`` entries (long provenance text)."""
    out: list[str] = []
    skip_deeper: int | None = None
    for line in block:
        depth = len(line) - len(line.lstrip())
        if skip_deeper is not None and depth > skip_deeper:
            continue
        skip_deeper = None
        if re.match(r"^\s*(- )?(source|note):", line):
            skip_deeper = depth
            if line.lstrip().startswith("- "):  # the item's first key: keep the dash
                out.append(line[:depth] + "- ")
            continue
        if out and out[-1].endswith("- ") and out[-1].strip() == "-":
            out[-1] = out[-1] + line.lstrip()
            continue
        out.append(line)
    return out


SAMPLES: dict[str, Any] = {"code": "USA", "rate": 0.1, "number": 0.5, "integer": 1000,
                           "date (YYYY-MM-DD)": "2026-01-01", "text": "...",
                           "true or false": True}


def _sample(fname: str, kind: str, first: bool) -> Any:
    if fname == "organization":
        return "WTO"
    if kind.startswith("one of "):
        return kind[len("one of "):].split(", ")[0]
    if kind.startswith("code or list") or kind.startswith("list of code"):
        return "USA" if first else ["CHN"]
    return SAMPLES.get(kind.split(" or ")[0], "...")


def _flow(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(map(_flow, value)) + "]"
    return str(value)


def _generated(name: str) -> str:
    """An example from the fields' types, for actions no bundled scenario uses: the required
    fields, then optional ones added until the action validates."""
    cls = ACTIONS[name]
    body: dict[str, Any] = {}
    for fname, field in cls.model_fields.items():
        if field.is_required():
            body[fname] = _sample(fname, type_text(field.annotation, fname), not body)
    optional = [f for f, field in cls.model_fields.items() if not field.is_required()]
    while True:
        try:
            cls.model_validate(body)
            break
        except ValueError:
            if not optional:
                break
            fname = optional.pop(0)
            body[fname] = _sample(fname, type_text(cls.model_fields[fname].annotation, fname),
                                  not body)
    text = ", ".join(f"{k}: {_flow(v)}" for k, v in body.items())
    return f"# a generated example\n- {name}: {{{text}}}"


def _example(name: str) -> str:
    """The action as first used in a bundled scenario (its text, as written), or ''."""
    given = getattr(ACTIONS[name], "example", "")
    if isinstance(given, str) and given:  # an action may carry its own example
        return "# an example\n" + given
    found = bundled_scenarios()
    order = [n for n in PREFERRED if n in found] + sorted(n for n in found if n not in PREFERRED)
    for scenario in order:
        block = _block(found[scenario].read_text(encoding="utf-8").splitlines(), name)
        if block:
            return f"# from the bundled scenario {scenario}\n" + "\n".join(block)
    return _generated(name)


def action_doc(name: str) -> dict[str, Any]:
    """Everything known about one action: ``name, summary, doc, fields, example, references,
    classifier``; ``fields`` is a list of ``{name, type, default, unit, description}``.

    Raises:
        KeyError: Unknown action (the message lists the known ones).
    """
    if name not in ACTIONS:
        raise KeyError(f"unknown action {name!r} (known: {', '.join(sorted(ACTIONS))})")
    cls = ACTIONS[name]
    fields = []
    for fname, field in cls.model_fields.items():
        fields.append({"name": fname, "type": type_text(field.annotation, fname),
                       "default": _default(field),
                       "unit": _unit(fname, field.annotation, cls),
                       "description": field.description or ""})
    return {"name": name, "summary": cls.summary, "doc": inspect.cleandoc(cls.__doc__ or ""),
            "fields": fields, "example": _example(name), "references": list(cls.references),
            "classifier": dict(cls.classifier)}


def action_docs_markdown() -> str:
    """``docs/actions.md``: every action's documentation as Markdown."""
    out = ["# Scenario actions", "",
           "Generated by `python -m worldorder.scenarios.action_docs` from the action classes "
           "(`worldorder actions NAME` prints the same). Rates are fractions everywhere: 0.25 "
           "means 25%; a rate outside [-0.3, 3] is refused with its file, line and field.", ""]
    for name in sorted(ACTIONS):
        d = action_doc(name)
        priced = "priced by the trade model" if d["classifier"].get("priced") else \
            "recorded (not priced by the trade model)"
        out += [f"## `{name}`", "", f"{d['summary'][:1].upper()}{d['summary'][1:]}; {priced}.",
                "", d["doc"], "", "| field | type | default | unit | note |",
                "|---|---|---|---|---|"]
        out += [f"| `{f['name']}` | {f['type']} | {f['default']} | {f['unit']} | "
                f"{f['description']} |" for f in d["fields"]]
        if d["example"]:
            out += ["", "```yaml", d["example"], "```"]
        if d["references"]:
            out += ["", "References: " + "; ".join(d["references"]) + "."]
        out.append("")
    return "\n".join(out).replace("\n\n\n", "\n\n")


if __name__ == "__main__":
    print(action_docs_markdown(), end="")

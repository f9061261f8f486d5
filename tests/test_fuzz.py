"""Fuzzing the user path (issue 12, "keep it so"): random valid datasets and scenarios, and
malformed ones made from them, run through the command line (``worldorder run``, in process).

* valid input: exit status 0, and every stored result finite and within the model's invariants
  (real income, wages, employment and prices above −100%), no traceback, no NumPy warning;
* malformed input: a non-zero exit status and exactly one line on standard error, ``error:``
  followed by the file it is about (and, for scenarios, the line), never a traceback.

Sized for ``make test`` (about a minute). ``WORLDORDER_FUZZ_EXAMPLES=5000`` runs each test with
that many examples; ``WORLDORDER_FUZZ_LOG=FILE`` appends one JSON line per case (kind, outcome,
and what stderr said when it went wrong), which ``python tests/test_fuzz.py FILE`` summarises;
with both set, a bad case is logged instead of stopping the run, so that the run counts them
all.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import signal
import sys
import tempfile
import traceback
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worldorder.cli.app import main
from worldorder.runs import list_runs, load_run

EXAMPLES = int(os.environ.get("WORLDORDER_FUZZ_EXAMPLES", "0"))
LOG = os.environ.get("WORLDORDER_FUZZ_LOG")
FUZZ = settings(deadline=None, derandomize=not EXAMPLES,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                max_examples=EXAMPLES or 40)
CODES = ("AAA", "BBB", "CCC", "DDD", "EEE")
FILES = ("s.yaml", "base.yaml", "dataset.toml", "economies.csv", "trade.csv", "tariffs.csv",
         "groups.csv", "memberships.csv")
LEVELS = ("welfare_pct", "real_wage_pct", "employment_pct", "price_index_pct")


# -- the user path ---------------------------------------------------------------------------
def cli(*args: str) -> tuple[int, str, str]:
    """``worldorder ARGS`` in this process: exit status, standard output and error."""
    out, err = io.StringIO(), io.StringIO()
    handler = signal.getsignal(signal.SIGTERM)
    argv, sys.argv = sys.argv, ["worldorder", *args]
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("always")  # every NumPy warning is shown, as to a user
            try:
                main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:  # what a user would see as a traceback
                traceback.print_exc(file=err)
                code = -1
    finally:
        sys.argv = argv
        signal.signal(signal.SIGTERM, handler)
    return code, out.getvalue(), err.getvalue()


def record(kind: str, outcome: str, detail: str = "") -> bool:
    """Log a case (with ``WORLDORDER_FUZZ_LOG``); True when the test should assert, i.e.
    except in a long logged run, which keeps going past bad cases to count them."""
    if LOG:
        with open(LOG, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"kind": kind, "outcome": outcome,
                                 "detail": detail[-2000:] if outcome == "BAD" else ""}) + "\n")
    return not (LOG and EXAMPLES)


def assert_clean_error(code: int, err: str, kind: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    ok = (code == 1 and len(lines) == 1 and lines[0].startswith("error: ")
          and any(f in lines[0] for f in FILES) and "Traceback" not in err)
    if record(kind, "error" if ok else "BAD", f"exit {code}: {err}"):
        assert ok, f"exit {code}, stderr:\n{err}"


def assert_valid_results(code: int, err: str, runs: Path, kind: str) -> None:
    good = code == 0 and "Traceback" not in err and "Warning" not in err
    if good:
        (run_id,) = list_runs(runs)["run_id"]
        econ = load_run(run_id, runs).economies()
        values = econ.drop(columns=["trade_balance_change_pct"]).select_dtypes("number")
        good = bool(np.isfinite(values.to_numpy()).all()
                    and (econ[list(LEVELS)] > -100.0).all().all())
    if record(kind, "ok" if good else "BAD", f"exit {code}: {err}"):
        assert good, f"exit {code}, stderr:\n{err}"


# -- valid inputs ----------------------------------------------------------------------------
@st.composite
def datasets(draw: Any) -> dict[str, Any]:
    """A small, well-formed dataset: GDP well above trade, a few percent of tariffs."""
    n = draw(st.integers(3, len(CODES)))
    codes = list(CODES[:n])
    flows = {(a, b): draw(st.floats(0.5, 20.0)) for a in codes for b in codes if a != b}
    size = {c: sum(v for (a, b), v in flows.items() if c in (a, b)) for c in codes}
    gdp = {c: size[c] * draw(st.floats(2.0, 6.0)) for c in codes}
    tariffs = {pair: draw(st.floats(0.0, 0.15)) for pair in flows}
    group = draw(st.booleans())
    return {"codes": codes, "trade": flows, "gdp": gdp, "tariffs": tariffs,
            "groups": {"GRP": codes[:2]} if group else {}}


def write_dataset(folder: Path, d: dict[str, Any]) -> dict[str, str]:
    texts = {
        "dataset.toml": 'name = "fuzz"\nyear = 2024\ndescription = "generated"\n'
                        '[units]\ntrade = "USD billion"\ngdp = "USD billion"\n'
                        '[sources]\ntrade = "generated by the fuzz tests"\n',
        "economies.csv": "code,name,gdp\n" + "".join(
            f"{c},Economy {c},{d['gdp'][c]!r}\n" for c in d["codes"]),
        "trade.csv": "exporter,importer,value\n" + "".join(
            f"{a},{b},{v!r}\n" for (a, b), v in d["trade"].items()),
        "tariffs.csv": "importer,exporter,rate\n" + "".join(
            f"{b},{a},{v!r}\n" for (a, b), v in d["tariffs"].items()),
        "memberships.csv": "economy,organization,since,until\n" + "".join(
            f"{c},WTO,1995,\n" for c in d["codes"]),
    }
    if d["groups"]:
        texts["groups.csv"] = "group,member\n" + "".join(
            f"{g},{m}\n" for g, ms in d["groups"].items() for m in ms)
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return texts


@st.composite
def actions(draw: Any, codes: list[str], groups: dict[str, list[str]]) -> dict[str, Any]:
    by = draw(st.sampled_from(codes))
    others = [c for c in codes if c != by]
    rate = draw(st.floats(0.0, 1.0))
    kind = draw(st.sampled_from(["tariff", "schedule", "retaliation", "sanction", "deal",
                                 "withdraw", "best_response", "optimal_retaliation"]))
    if kind == "tariff":
        on = draw(st.one_of(st.just("all"), st.lists(st.sampled_from(others), min_size=1,
                                                      max_size=len(others), unique=True)))
        return {"tariff": {"by": by, "on": on, "rate": rate,
                           "basis": draw(st.sampled_from(["additional", "total"]))}}
    if kind == "schedule":
        on = draw(st.dictionaries(st.sampled_from(others), st.floats(0.0, 1.0), min_size=1))
        return {"tariff": {"by": by, "on": on}}
    if kind == "best_response":  # any bound accepted: a valid answer, at the edge if need be
        return {"best_response": {"by": by, "upper": draw(st.floats(0.05, 10.0))}}
    if kind == "optimal_retaliation":
        return {"retaliation": {"by": [c for c in others if c not in groups.get(by, [])],
                                "against": by, "rule": "optimal",
                                "upper": draw(st.floats(0.05, 10.0))}}
    if kind == "retaliation":
        return {"retaliation": {"by": [c for c in others if c not in groups.get(by, [])],
                                "against": by, "rule": "mirror"}}
    if kind == "sanction":
        return {"sanction": {"by": by, "on": [draw(st.sampled_from(others))],
                             "cost": draw(st.floats(0.0, 0.5))}}
    if kind == "deal":
        return {"tariff_deal": {"imposer": by, "partner": draw(st.sampled_from(others)),
                                "rate": draw(st.floats(0.0, 0.3)),
                                "pledges": [{"kind": "investment",
                                             "amount": draw(st.floats(0.0, 1000.0))}]}}
    return {"withdraw": {"economy": by, "organization": "WTO"}}


@st.composite
def scenarios(draw: Any, d: dict[str, Any]) -> dict[str, Any]:
    acts = draw(st.lists(actions(d["codes"], d["groups"]), min_size=1, max_size=3))
    left = [a["withdraw"]["economy"] for a in acts if "withdraw" in a]
    if len(left) != len(set(left)):  # an economy can leave the WTO only once
        acts = [a for k, a in enumerate(acts) if "withdraw" not in a
                or left.index(a["withdraw"]["economy"]) == sum("withdraw" in b
                                                               for b in acts[:k])]
    model = {"preset": draw(st.sampled_from(["ignatenko2025", "ek-krugman", "armington"])),
             "closure": draw(st.sampled_from(["fixed_transfers", "balanced"]))}
    sc: dict[str, Any] = {"name": "fuzz", "dataset": "data", "model": model}
    if draw(st.booleans()):
        sc["policies"] = acts
    else:
        days = sorted(draw(st.lists(st.integers(1, 28), min_size=len(acts),
                                    max_size=len(acts))))
        sc["steps"] = [{"date": f"2025-03-{day:02d}", **a} for day, a in zip(days, acts,
                                                                             strict=True)]
    return sc


def scenario_text(sc: dict[str, Any]) -> str:
    return yaml.safe_dump(sc, sort_keys=False, default_flow_style=None)


@FUZZ
@given(data=st.data())
def test_valid_inputs_give_valid_results(data: st.DataObject) -> None:
    d = data.draw(datasets())
    sc = data.draw(scenarios(d))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_dataset(root / "data", d)
        (root / "s.yaml").write_text(scenario_text(sc), encoding="utf-8")
        code, _, err = cli("run", str(root / "s.yaml"), "--runs-dir", str(root / "runs"))
        assert_valid_results(code, err, root / "runs", "valid")


# -- malformed scenarios ---------------------------------------------------------------------
# (not null: an optional amount or deal rate may be left out on purpose)
BAD_NUMBERS = ["true", "false", ".inf", "-.inf", ".nan", "'0.1'", "[]", "{}", "-5", "-1",
               "abc"]


def _mutate_scenario(text: str, how: str, pick: Any) -> str | bytes:
    lines = text.splitlines(keepends=True)
    if how == "number":
        spots = [m for m in re.finditer(r"(rate|cost|amount|upper): [0-9.e+-]+", text)]
        if not spots:
            return text.replace("policies:", "policies: 5").replace("steps:", "steps: 5")
        m = pick(spots)
        return text[:m.start()] + f"{m.group(1)}: {pick(BAD_NUMBERS)}" + text[m.end():]
    if how == "code":
        for code in CODES:
            if f" {code}" in text:
                return text.replace(f" {code}", " XYZ", 1)
        return text + "bogus: 1\n"
    if how == "empty":
        emptied = re.sub(r"\b(by|on): \[[^\]]*\]", r"\1: []", text, count=1)
        return emptied if emptied != text else re.sub(r"\b(by|economy|partner): [A-Z]{3}",
                                                      r"\1: []", text, count=1)
    if how == "unknown_field":
        return text.replace("rate:", "rat:", 1) if "rate:" in text else text + "extra: 1\n"
    if how == "duplicate":
        return text + pick(["name: other\n", "dataset: data\n", "model: {}\n",
                            "policies: []\n" if "policies:" in text else "steps: []\n"])
    if how == "syntax":
        k = pick(range(len(lines)))
        return "".join(lines[:k]) + pick(["  - [unclosed\n", "\t: x\n", "{\n", "- - : -\n",
                                          "]]\n"]) + "".join(lines[k:])
    if how == "encoding":
        return text.encode("utf-8").replace(b"fuzz", b"f\xe9zz\xff", 1)
    if how == "bomb":
        levels = "\n".join(f"a{k}: &a{k} [" + ",".join([f"*a{k - 1}"] * 9) + "]"
                           for k in range(1, 9))
        return text + 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]\n' + levels + "\n"
    if how == "cycle":
        return text + "loop: &l [*l]\n"
    if how == "deep":
        return text + "deep: " + "[" * pick([60, 500, 5000]) + "\n"
    if how == "action":
        for verb in ("tariff", "retaliation", "sanction", "withdraw", "best_response"):
            if f"{verb}:" in text or f"{verb}_deal:" in text:
                return text.replace(verb, verb[:-1] + "x", 1)
        misspelt = re.sub(r"^(\s*- )([a-z_]+):", r"\1\2x:", text, count=1, flags=re.M)
        assert misspelt != text, text  # every generated scenario has an action to misspell
        return misspelt
    if how == "date":
        return text.replace("2025-03-", pick(["2025-13-", "2025-02-3", "20250-03-"]), 1) \
            if "2025-03-" in text else text.replace("policies:", "policies: {}", 1)
    if how == "model":
        return text.replace("preset: ", pick(["preset: nope\n  x", "epsilon: true\n  preset",
                                              "epsilon: 0\n  preset", "kappa: -1\n  preset",
                                              "nu: 1.5\n  preset", "epsilon: .inf\n  preset"]),
                            1)
    if how == "extends":
        return text.replace("name: fuzz", pick(["name: fuzz\nextends: missing.yaml",
                                                "name: fuzz\nextends: s.yaml",
                                                "name: fuzz\nfork: {from: s.yaml, at: x}"]), 1)
    if how == "top":
        return pick(["", "[1, 2]\n", "just text\n", "name: 5\n", "name: fuzz\ndataset: 5\n",
                     "name: fuzz\nseed: true\ndataset: data\n"])
    raise AssertionError(how)


SCENARIO_MUTATIONS = ("number", "code", "empty", "unknown_field", "duplicate", "syntax",
                      "encoding", "bomb", "cycle", "deep", "action", "date", "model", "extends",
                      "top")


@FUZZ
@given(data=st.data(), how=st.sampled_from(SCENARIO_MUTATIONS))
def test_malformed_scenarios_give_one_located_error(data: st.DataObject, how: str) -> None:
    d = data.draw(datasets())
    sc = data.draw(scenarios(d))
    text = _mutate_scenario(scenario_text(sc), how, lambda xs: data.draw(st.sampled_from(
        list(xs))))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_dataset(root / "data", d)
        path = root / "s.yaml"
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        code, _, err = cli("run", str(path), "--runs-dir", str(root / "runs"))
        assert_clean_error(code, err, f"scenario:{how}")


# -- malformed datasets ----------------------------------------------------------------------
def _mutate_dataset(texts: dict[str, str], how: str, pick: Any) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = dict(texts)
    econ = texts["economies.csv"].splitlines()
    trade = texts["trade.csv"].splitlines()
    if how == "gdp":
        k = pick(range(1, len(econ)))
        code, name, _ = econ[k].split(",")
        econ[k] = f"{code},{name},{pick(['abc', '-1', '0', 'inf', 'nan', '', '1e400', 'true'])}"
        out["economies.csv"] = "\n".join(econ) + "\n"
    elif how == "trade":
        k = pick(range(1, len(trade)))
        a, b, _ = trade[k].split(",")
        trade[k] = pick([f"{a},{b},-3", f"{a},{b},x", f"XYZ,{b},1", f"{a},{a},1", f"{a},{b},",
                         f"{a},{b},1,extra"])
        out["trade.csv"] = "\n".join(trade) + "\n"
    elif how == "duplicate_row":
        out["trade.csv"] = texts["trade.csv"] + trade[1] + "\n"
    elif how == "columns":
        out["economies.csv"] = pick([texts["economies.csv"].replace("code,name,gdp",
                                                                    "code,name,gdp,gdp"),
                                     texts["economies.csv"].replace("gdp", "gpd", 1),
                                     ""])
    elif how == "code":
        out["economies.csv"] = texts["economies.csv"].replace("AAA,", pick(["a,", ",", "AAA "
                                                                            "B,"]), 1)
    elif how == "toml":
        out["dataset.toml"] = pick([
            texts["dataset.toml"].replace("year = 2024", "year = true"),
            texts["dataset.toml"].replace('trade = "USD billion"', "trade = 5"),
            'sources = "x"\n' + texts["dataset.toml"].split("[sources]")[0],
            texts["dataset.toml"].replace('name = "fuzz"', "name = [1"),
            texts["dataset.toml"].replace('gdp = "USD billion"', 'gdp = "EUR"'),
        ])
    elif how == "encoding":
        name = pick(["dataset.toml", "economies.csv", "trade.csv"])
        out[name] = texts[name].encode("utf-8").replace(b"\n", b"\xff\xfe\n", 2)
    elif how == "date":
        out["memberships.csv"] = texts["memberships.csv"].replace(
            "1995", pick(["2024-13-45", "1995-02-30", "95", "x"]), 1)
    elif how == "tariff":
        out["tariffs.csv"] = texts["tariffs.csv"].replace(
            texts["tariffs.csv"].splitlines()[1].rsplit(",", 1)[1], pick(["-0.5", "x", "inf"]),
            1)
    else:
        raise AssertionError(how)
    return out


DATASET_MUTATIONS = ("gdp", "trade", "duplicate_row", "columns", "code", "toml", "encoding",
                     "date", "tariff")


@FUZZ
@given(data=st.data(), how=st.sampled_from(DATASET_MUTATIONS))
def test_malformed_datasets_give_one_located_error(data: st.DataObject, how: str) -> None:
    d = data.draw(datasets())
    sc = {"name": "fuzz", "dataset": "data",
          "policies": [{"tariff": {"by": d["codes"][0], "on": "all", "rate": 0.1}}]}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        texts = write_dataset(root / "data", d)
        for name, text in _mutate_dataset(texts, how, lambda xs: data.draw(
                st.sampled_from(list(xs)))).items():
            raw = text if isinstance(text, bytes) else text.encode("utf-8")
            (root / "data" / name).write_bytes(raw)
        (root / "s.yaml").write_text(scenario_text(sc), encoding="utf-8")
        code, _, err = cli("run", str(root / "s.yaml"), "--runs-dir", str(root / "runs"))
        assert_clean_error(code, err, f"dataset:{how}")


def summarise(path: str) -> dict[str, Any]:
    """Counts per kind of case and outcome from a ``WORLDORDER_FUZZ_LOG`` file."""
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line]
    kinds: dict[str, dict[str, int]] = {}
    for r in rows:
        k = kinds.setdefault(r["kind"], {})
        k[r["outcome"]] = k.get(r["outcome"], 0) + 1
    good = sum(1 for r in rows if r["outcome"] != "BAD")
    return {"cases": len(rows), "handled_well": good,
            "share": math.floor(1000 * good / max(len(rows), 1)) / 10, "by_kind": kinds}


if __name__ == "__main__":
    print(json.dumps(summarise(sys.argv[1]), indent=1))

"""What a user sees on standard error (issue 12, items 9 and 12): an error is printed as
written (brackets are not terminal markup), and extreme but accepted values print no NumPy
warning and store finite descriptions."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import cli
from worldorder.runs.manifest import read_manifest

SCENARIO = ("name: s\ndataset: {dataset}\n{model}policies:\n"
            "  - tariff: {{by: USA, on: all, rate: 0.1}}\n")


def _run(tmp_path: Path, dataset: Path, model: str = "") -> tuple[int, str, Path]:
    sc = tmp_path / "s.yaml"
    sc.write_text(SCENARIO.format(dataset=dataset, model=model))
    runs = tmp_path / "runs"
    r = cli("run", str(sc), "--runs-dir", str(runs))
    return r.returncode, r.stderr, runs


def test_brackets_in_an_error_are_printed(tmp_path: Path, mini_dataset: Path) -> None:
    """``sources = "x"`` said ``must be a table, e.g.`` and lost ``[sources]`` as markup."""
    toml = mini_dataset / "dataset.toml"
    toml.write_text('sources = "x"\n' + toml.read_text().split("[sources]")[0])
    code, err, _ = _run(tmp_path, mini_dataset)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 1 and len(lines) == 1, err
    assert lines[0] == "error: dataset.toml, field 'sources': must be a table, e.g. [sources]"


def test_a_huge_gdp_warns_without_numpy_warnings(tmp_path: Path, mini_dataset: Path) -> None:
    """GDP = 1e300: one warning about the magnitude, no RuntimeWarning (the data fingerprint
    rounded it through an overflow), a finite fingerprint that tells 1e300 from 2e300."""
    econ = mini_dataset / "economies.csv"
    text = econ.read_text()
    assert "USA,USA,29.0" in text
    econ.write_text(text.replace("USA,USA,29.0", "USA,USA,1e300"))
    code, err, runs = _run(tmp_path, mini_dataset)
    assert code == 0, err
    assert "Warning" not in err and "overflow" not in err, err
    assert "economies.csv: GDP of USA is 1e+300" in " ".join(err.split())
    (run,) = runs.iterdir()
    first = read_manifest(run)["dataset"]["sha256"]
    econ.write_text(text.replace("USA,USA,29.0", "USA,USA,2e300"))
    code, err, _ = _run(tmp_path, mini_dataset)
    assert code == 0 and "Warning" not in err, err
    assert {read_manifest(p)["dataset"]["sha256"] for p in runs.iterdir()} - {first}


def test_a_huge_parameter_is_stored_as_given(tmp_path: Path, mini_dataset: Path) -> None:
    """``psi: 1e300`` (accepted, with a warning): the manifest recorded psi as infinity after
    an overflow warning."""
    code, err, runs = _run(tmp_path, mini_dataset, "model: {psi: 1e300}\n")
    assert "Warning" not in err and "overflow" not in err, err
    (run,) = runs.iterdir()
    params = json.loads((run / "manifest.json").read_text())["parameters"]
    assert params["psi"] == 1e300, (code, err)


def test_a_missing_dataset_is_located_in_the_scenario(tmp_path: Path) -> None:
    """Found by the fuzz suite: a line ``  - [unclosed`` after ``dataset: data`` continues the
    plain scalar (``data - [unclosed``); the error named no file."""
    sc = tmp_path / "s.yaml"
    sc.write_text("name: s\ndataset: data\n  - [unclosed\npolicies:\n"
                  "  - tariff: {by: USA, on: all, rate: 0.1}\n")
    for command in ("run", "validate"):
        r = cli(command, str(sc), *(["--runs-dir", str(tmp_path / "runs")]
                                    if command == "run" else []))
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert r.returncode == 1 and len(lines) == 1, r.stderr
        assert lines[0].startswith("error: s.yaml, line 2, field 'dataset': dataset "
                                   "'data - [unclosed': no such folder or bundled dataset")
    assert not (tmp_path / "runs").exists()


def test_a_solver_failure_is_located_at_the_action(tmp_path: Path, mini_dataset: Path) -> None:
    """``epsilon: 1e300`` (finite, accepted) leaves the solver without a root: the error, a
    ConvergenceError still, names the file, line and field of the action solved."""
    code, err, _ = _run(tmp_path, mini_dataset, "model: {epsilon: 1e300}\n")
    assert code == 1 and "Traceback" not in err and "Warning" not in err, err
    errors = [ln for ln in err.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith(
        "error: s.yaml, line 5, field 'policies[0].tariff': equilibrium solver did not "
        "converge"), err

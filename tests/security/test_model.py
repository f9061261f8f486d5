"""The registry of security models: names, classifiers, references, parameter checks."""

from __future__ import annotations

import pytest

from worldorder.errors import SecurityModelError
from worldorder.security import MODELS, get_model, models_table


def test_every_model_has_a_name_classifier_references_and_a_docstring() -> None:
    assert len(MODELS) >= 13
    for name, cls in MODELS.items():
        assert cls.name == name
        assert cls.classifier.get("question") and cls.classifier.get("kind")
        assert cls.references and all(len(r) > 10 for r in cls.references)
        assert (cls.__doc__ or "").strip()
        assert cls.summary


def test_more_than_one_model_where_the_literature_disagrees() -> None:
    table = models_table()
    for q in ("power", "offshore", "burden-sharing"):
        assert (table["question"] == q).sum() >= 2, q
    assert set(models_table("offshore")["name"]) == {"offshore-balancing",
                                                      "offshore-balancing-latent"}


def test_parameters_are_overridable_and_checked() -> None:
    m = get_model("power-transition", lower=0.7)
    assert m.params["lower"] == 0.7 and m.params["upper"] == 1.2
    assert "lower=0.7" in repr(m)
    assert m.describe()["params"]["lower"] == 0.7
    with pytest.raises(SecurityModelError, match="unknown parameter 'lowr'"):
        get_model("power-transition", lowr=0.7)
    with pytest.raises(SecurityModelError, match=r"'credibility' = 1\.5 is outside"):
        get_model("coercive-burden-sharing", credibility=1.5)
    with pytest.raises(SecurityModelError, match="unknown security model 'nope'"):
        get_model("nope")

from __future__ import annotations

import pytest

from ficlens import nlp
from ficlens.errors import ErrorCode, FiclensError


def test_default_model_loads_from_an_installed_package() -> None:
    pipeline = nlp.load()
    doc = pipeline("Spike looked at Buffy.")
    assert [t.text for t in doc] == ["Spike", "looked", "at", "Buffy", "."]
    assert doc[1].lemma_ == "look"


def test_model_name_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FICLENS_SPACY_MODEL", "no_such_model_xyz")
    assert nlp.model_names() == ("no_such_model_xyz",)
    with pytest.raises(FiclensError) as info:
        nlp.load("no_such_model_xyz")
    assert info.value.code is ErrorCode.E009


def test_a_hyphenated_name_is_one_token() -> None:
    """spaCy splits "Jean-Luc" at the hyphen; a name must stay whole, while
    lower-case compounds and honorific suffixes still split."""
    doc = nlp.load()("Jean-Luc met Obi-Wan, a well-known friend of Naruto-kun.")
    words = [t.text for t in doc]
    assert "Jean-Luc" in words and "Obi-Wan" in words
    assert "well-known" not in words and "Naruto-kun" not in words

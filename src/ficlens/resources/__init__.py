"""Package data (tables, trained weights, the output schema), loaded with importlib.resources."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


def read_text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@cache
def output_schema() -> dict[str, Any]:
    """The JSON Schema every ``ficlens/1`` analysis validates against."""
    schema: dict[str, Any] = json.loads(read_text("schema.json"))
    return schema


@cache
def _lexicon() -> dict[str, Any]:
    table: dict[str, Any] = json.loads(read_text("lexicon.json"))
    return table


def lexicon(name: str) -> frozenset[str]:
    """A word list from lexicon.json (speech verbs, titles, …)."""
    return frozenset(_lexicon()[name])


def verb_forms(verbs: frozenset[str]) -> frozenset[str]:
    """The regular forms of verbs as a tag writes them ("whispers", "whispered")."""
    return frozenset(
        f for v in verbs for f in (v, v + "s", v + "ed", v + "d", v + "es", v[:-1] + "ied", v[:-1] + "ies")
    )


@cache
def speech_forms() -> frozenset[str]:
    """The speech verbs as they stand beside a quote ("whispered", "says", "said")."""
    irregular = {"said", "told", "cried", "replied", "began", "thought", "wrote", "sang", "spoke", "broke"}
    return verb_forms(lexicon("speech_verbs")) | irregular


@cache
def not_names() -> frozenset[str]:
    """Capitalised words that are never a character's name (``not_names.txt``, editable)."""
    lines = read_text("not_names.txt").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def given_names() -> dict[str, str | None]:
    """Given name → the pronoun set nearly all its bearers use, or None where
    the census cannot tell (1990 US Census; built by
    ``training/build_given_names.py``): a prior, never an answer."""
    table: dict[str, str | None] = json.loads(read_text("given_names.json"))["names"]
    return table

"""Shared test helpers: the ../shared data folder and schema validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ficlens.resources import output_schema

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data folder is not beside the repo")
    return path


def assert_valid(analysis: dict[str, Any]) -> None:
    """Fail unless ``analysis`` validates against the shipped JSON Schema and its spans fit its text."""
    jsonschema.validate(analysis, output_schema())
    n = len(analysis["text"])
    for part in (
        "chapters",
        "paragraphs",
        "scenes",
        "emphasis",
        "quotes",
        "non_speech",
        "mentions",
        "thoughts",
        "notes",
    ):
        for item in analysis[part]:
            if "start" in item:
                assert 0 <= item["start"] <= item["end"] <= n, (part, item)

from __future__ import annotations

from typing import ClassVar

import pytest

from ficlens.model import Document, Narration
from ficlens.pipeline import Pipeline, PipelineError, analyze_text
from ficlens.stages.base import Stage


class NarrationStage(Stage[str]):
    name = "narration"
    requires: ClassVar[tuple[str, ...]] = ("paragraphs",)
    provides: ClassVar[tuple[str, ...]] = ("narration",)

    def predict(self, doc: Document) -> str:
        return "first" if " I " in f" {doc.text} " else "third"

    def annotate(self, doc: Document, prediction: str) -> Document:
        return doc.with_(narration=Narration(person="first" if prediction == "first" else "third"))


class NeedsQuotes(Stage[None]):
    name = "speakers"
    requires: ClassVar[tuple[str, ...]] = ("quotes",)

    def predict(self, doc: Document) -> None:
        return None

    def annotate(self, doc: Document, prediction: None) -> Document:
        return doc


def test_pipeline_runs_stages_in_order() -> None:
    doc = analyze_text("I went home.\n\nThen I slept.", Pipeline([NarrationStage()]))
    assert doc.narration.person == "first"
    assert len(doc.paragraphs) == 2


def test_pipeline_refuses_a_stage_whose_requirements_are_unmet() -> None:
    with pytest.raises(PipelineError, match=r"speakers.*quotes"):
        Pipeline([NeedsQuotes()])

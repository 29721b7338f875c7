"""Parse the paragraphs once, for every stage that needs syntax."""

from __future__ import annotations

from typing import ClassVar

from ficlens import nlp
from ficlens.model import Document, TokenTable
from ficlens.stages.base import Stage


class ParseStage(Stage[TokenTable]):
    name = "parse"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    provides: ClassVar[tuple[str, ...]] = ("tokens",)

    def __init__(self, model: str | None = None) -> None:
        self.model = model

    def predict(self, doc: Document) -> TokenTable:
        return nlp.parse(doc.text, doc.paragraphs, self.model)

    def annotate(self, doc: Document, prediction: TokenTable) -> Document:
        return doc.with_(tokens=prediction)

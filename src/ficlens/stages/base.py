"""The stage contract: every analysis stage says what it needs and provides.

Stages split *predicting* from *writing annotations* (as spaCy components
do), so a prediction can be inspected or tested without building a document,
and the pipeline can check, before running anything, that each stage's
requirements are provided by an earlier one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, Generic, TypeVar

from ficlens.model import Document

P = TypeVar("P")


class Stage(ABC, Generic[P]):
    #: Short stable name, used in progress output and errors.
    name: ClassVar[str]
    #: Document parts (``Document`` field names) this stage reads.
    requires: ClassVar[tuple[str, ...]] = ("text",)
    #: Document parts this stage fills.
    provides: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def predict(self, doc: Document) -> P:
        """Compute this stage's findings without touching the document."""

    @abstractmethod
    def annotate(self, doc: Document, prediction: P) -> Document:
        """Return a copy of ``doc`` with the findings written in."""

    def __call__(self, doc: Document) -> Document:
        return self.annotate(doc, self.predict(doc))

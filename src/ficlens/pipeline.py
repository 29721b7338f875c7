"""Compose reading, structure and the analysis stages into one run.

The pipeline checks, when it is built, that every stage's ``requires`` is
provided by the structure stage or an earlier stage, so a misordered
pipeline fails at once with a clear message rather than deep in a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Document, Source
from ficlens.readers import read_bytes, read_path
from ficlens.stages import structure
from ficlens.stages.base import Stage

#: Document parts the structure stage fills before any analysis stage runs.
STRUCTURE_PROVIDES = ("text", "work", "chapters", "paragraphs", "scenes", "emphasis", "notes")


class PipelineError(FiclensError):
    """A pipeline whose stages cannot run in the given order, or an unknown stage."""

    def __init__(self, reason: str) -> None:
        super().__init__(ErrorCode.E011, reason)


class Pipeline:
    def __init__(self, stages: Sequence[Stage[Any]] = ()) -> None:
        provided = set(STRUCTURE_PROVIDES)
        for stage in stages:
            missing = [r for r in stage.requires if r not in provided]
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {missing}, which no earlier stage provides"
                )
            provided.update(stage.provides)
        self.stages = tuple(stages)

    def run(self, source: Source) -> Document:
        doc = structure.build(source)
        for stage in self.stages:
            doc = stage(doc)
        return doc


def default_stages(model: str | None = None) -> list[Stage[Any]]:
    """The analysis stages of a standard run, in order."""
    from ficlens.stages.characters import CharacterStage
    from ficlens.stages.coref import CorefStage
    from ficlens.stages.dialogue_coref import DialogueCorefStage
    from ficlens.stages.narration import NarrationStage
    from ficlens.stages.nicknames import NicknameStage
    from ficlens.stages.parse import ParseStage
    from ficlens.stages.quotes import QuoteStage
    from ficlens.stages.speakers import SpeakerStage
    from ficlens.stages.tags import TagStage
    from ficlens.stages.thoughts import ThoughtStage

    return [
        QuoteStage(),
        ParseStage(model),
        CharacterStage(),
        CorefStage(),
        SpeakerStage(),
        NicknameStage(),
        DialogueCorefStage(),
        NarrationStage(),
        ThoughtStage(),
        TagStage(),
    ]


def default_pipeline(only: Sequence[str] | None = None, model: str | None = None) -> Pipeline:
    """The standard pipeline, or only the named stages of it (in standard order).
    ``only=()`` runs the structure stage alone."""
    stages = default_stages(model)
    if only is not None:
        unknown = set(only) - {s.name for s in stages}
        if unknown:
            raise PipelineError(f"unknown stage(s) {sorted(unknown)}; choose from {[s.name for s in stages]}")
        stages = [s for s in stages if s.name in only]
    return Pipeline(stages)


def analyze_source(source: Source, pipeline: Pipeline | None = None) -> Document:
    return (pipeline or default_pipeline()).run(source)


def analyze_text(text: str, pipeline: Pipeline | None = None) -> Document:
    """Analyse a story given as a string (read as plain text unless it is markup)."""
    return analyze_source(read_bytes(text.encode("utf-8")), pipeline)


def analyze_path(path: str | Path, pipeline: Pipeline | None = None) -> Document:
    """Analyse the work in a file of any supported format."""
    return analyze_source(read_path(path), pipeline)

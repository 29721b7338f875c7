"""Small hand-built analyses for the writer tests: every span and answer known."""

from __future__ import annotations

import re

import numpy as np

from ficlens.model import (
    Chapter,
    Character,
    Document,
    Mention,
    Paragraph,
    Quote,
    Scene,
    Thought,
    TokenTable,
    WorkMeta,
)
from ficlens.stages.tags import TagStage

PARAGRAPHS = (
    '"Come here," Anna said. "Now."',
    'Ben smiled. "Why?" he asked her.',
    "Anna thought: the sea is mine. She kissed Ben.",
)
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "</style>",
    "</script>",
)
INJECTION = " ".join(PAYLOADS)


def _at(text: str, needle: str, after: int = 0) -> tuple[int, int]:
    start = text.index(needle, after)
    return start, start + len(needle)


def _word(text: str, word: str, after: int) -> tuple[int, int]:
    match = re.compile(rf"\b{word}\b").search(text, after)
    assert match is not None
    return match.span()


def sample_document(extra: str = "", work: WorkMeta | None = None, anna: str = "Anna") -> Document:
    """Anna and Ben: three paragraphs, two scenes, three quotes (two in one utterance), a thought.
    ``extra`` is added to the heading, to the quote "Why?" and to the end of the last paragraph."""
    chunks = (PARAGRAPHS[0], PARAGRAPHS[1].replace("Why?", "Why?" + extra), PARAGRAPHS[2] + extra)
    text = f"Chapter 1: Harbour{extra}\n\n{chunks[0]}\n\n{chunks[1]}\n\n* * *\n\n{chunks[2]}"
    paragraphs = []
    pos = 0
    for p in chunks:
        start, end = _at(text, p, pos)
        paragraphs.append(Paragraph(start, end))
        pos = end
    p1, p2, p3 = paragraphs
    quotes = (
        Quote("q1", *_at(text, "Come here,", p1.start), "u1", "c1", ("c2",), "explicit", 0.9),
        Quote("q2", *_at(text, "Now.", p1.start), "u1", "c1", ("c2",), "explicit", 0.9),
        Quote("q3", *_at(text, "Why?" + extra, p2.start), "u2", "c2", ("c1",), "anaphoric", 0.7),
    )
    mentions = (
        Mention(*_at(text, "Anna", p1.start), "c1", "name"),
        Mention(*_at(text, "Ben", p2.start), "c2", "name"),
        Mention(*_word(text, "he", p2.start), "c2", "pronoun"),
        Mention(*_word(text, "her", p2.start), "c1", "pronoun"),
        Mention(*_at(text, "Anna", p3.start), "c1", "name"),
        Mention(*_at(text, "She", p3.start), "c1", "pronoun"),
        Mention(*_at(text, "Ben", p3.start), "c2", "name"),
    )
    doc = Document(
        text=text,
        work=work or WorkMeta(title="Harbour"),
        chapters=(Chapter(0, len(text), "Chapter 1: Harbour" + extra),),
        paragraphs=tuple(paragraphs),
        scenes=(
            Scene("s1", p1.start, p2.end, 0, "c1", "third", "past"),
            Scene("s2", p3.start, p3.end, 0, "c2", "third", "present"),
        ),
        characters=(
            Character("c1", anna, (anna,), (("she", 1.0),), 4, 2),
            Character("c2", "Ben", ("Ben",), (("he", 1.0),), 3, 1),
        ),
        quotes=quotes,
        mentions=mentions,
        thoughts=(Thought(*_at(text, "the sea is mine.", p3.start), "c1"),),
    )
    return TagStage()(doc)


def injection_document() -> Document:
    """The sample with script, handler and closing-tag payloads in the text, a name and the metadata."""
    work = WorkMeta(
        source_format="ao3-html",
        title="Title " + INJECTION,
        authors=(INJECTION,),
        fandoms=(INJECTION,),
        characters=(INJECTION,),
        additional_tags=(INJECTION,),
        summary=INJECTION,
    )
    return sample_document(" " + INJECTION, work, anna="Anna " + PAYLOADS[1])


def with_tokens(doc: Document) -> Document:
    """The sample with a hand-made parse: whitespace tokens, one sentence per paragraph."""
    rows: list[tuple[int, int, int]] = []  # start, end, paragraph
    for k, p in enumerate(doc.paragraphs):
        for m in re.finditer(r"\w+|[^\w\s]", doc.text[p.start : p.end]):
            rows.append((p.start + m.start(), p.start + m.end(), k))
    words = tuple(doc.text[s:e] for s, e, _ in rows)
    n = len(rows)
    table = TokenTable(
        start=np.array([r[0] for r in rows]),
        end=np.array([r[1] for r in rows]),
        head=np.arange(n),
        sentence=np.array([r[2] for r in rows]),
        paragraph=np.array([r[2] for r in rows]),
        words=words,
        lemmas=tuple(w.lower() for w in words),
        pos=tuple("PROPN" if w in ("Anna", "Ben") else "X" for w in words),
        tags=tuple("NNP" if w in ("Anna", "Ben") else "XX" for w in words),
        deps=("ROOT",) * n,
        ents=tuple("PERSON" if w in ("Anna", "Ben") else "" for w in words),
        ent_begin=np.array([w in ("Anna", "Ben") for w in words]),
    )
    return doc.with_(tokens=table)

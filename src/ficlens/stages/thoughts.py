"""Interior monologue: italic thought and unquoted direct thought.

Fan fiction renders a character's thoughts in italics (*Why did you leave
me?*, or <em> in HTML), or as unquoted direct thought set in the narration:
"Ah, love – is this what a normal life has done to you?" in a past-tense,
third-person scene. Both are marked as thoughts and given to the scene's
point-of-view character, whose thoughts a limited narration reports.

- **Italic thought**: an italic span of three or more words outside quotes,
  or a paragraph wrapped in asterisks in plain text.
- **Direct thought**: in a third-person scene, a narration sentence that
  speaks in the first or second person (I, me, you, your) outside quotes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import ClassVar

from ficlens.model import Document, NonSpeech, Thought
from ficlens.spans import SpanIndex
from ficlens.stages.base import Stage

_PERSONAL = re.compile(r"\b(?:I|I'm|I'd|I'll|I've|me|my|myself|you|your|yours|yourself)\b")
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_STARRED = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]{3,}?)(?<!\s)\*(?![\w*])")
MIN_WORDS = 3


@dataclass(frozen=True, slots=True)
class ThoughtPrediction:
    thoughts: tuple[Thought, ...]


def find_thoughts(doc: Document) -> tuple[Thought, ...]:
    quotes = SpanIndex([*(NonSpeech(q.start, q.end) for q in doc.quotes), *doc.non_speech])
    scenes = SpanIndex(doc.scenes)
    out: dict[tuple[int, int], Thought] = {}

    def pov_at(offset: int) -> str | None:
        k = scenes.find(offset)
        return scenes.spans[k].pov if k >= 0 else None

    for e in doc.emphasis:
        if (
            e.style == "italic"
            and len(doc.text[e.start : e.end].split()) >= MIN_WORDS
            and e.start not in quotes
        ):
            out[(e.start, e.end)] = Thought(e.start, e.end, pov_at(e.start))
    for p in doc.paragraphs:
        chunk = doc.text[p.start : p.end]
        for m in _STARRED.finditer(chunk):
            start, end = p.start + m.start(1), p.start + m.end(1)
            if len(m.group(1).split()) >= MIN_WORDS and start not in quotes:
                out[(start, end)] = Thought(start, end, pov_at(start))
        k = scenes.find(p.start)
        if k < 0 or scenes.spans[k].person != "third":
            continue
        for m in _SENTENCE.finditer(chunk):
            start = p.start + m.start() + (len(m.group()) - len(m.group().lstrip()))
            end = p.start + m.end()
            sentence = doc.text[start:end]
            if len(sentence.split()) < MIN_WORDS or not _PERSONAL.search(sentence):
                continue
            # Only narration: a sentence touching a quotation is dialogue or its tag.
            if _touches(quotes, start, end):
                continue
            if not any(a <= start and end <= b for a, b in out):
                out[(start, end)] = Thought(start, end, pov_at(start))
    return tuple(sorted(out.values(), key=lambda t: (t.start, t.end)))


def _touches(quotes: SpanIndex[NonSpeech], start: int, end: int) -> bool:
    """Whether a quoted span lies within one character of [start, end)."""
    k = bisect.bisect_right(quotes.starts, end + 1)
    return k > 0 and quotes.spans[k - 1].end >= start - 1


class ThoughtStage(Stage[ThoughtPrediction]):
    name = "thoughts"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs", "scenes", "emphasis", "quotes")
    provides: ClassVar[tuple[str, ...]] = ("thoughts",)

    def predict(self, doc: Document) -> ThoughtPrediction:
        return ThoughtPrediction(find_thoughts(doc))

    def annotate(self, doc: Document, prediction: ThoughtPrediction) -> Document:
        return doc.with_(thoughts=prediction.thoughts)

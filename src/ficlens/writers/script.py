"""An audiobook / text-to-speech script: one line per utterance, in reading order.

``Speaker: text`` for speech (the spans of one interrupted utterance joined
into one line), ``Name (thought): text`` for a character's thought, and
``Narrator: text`` for the narration and chapter headings between them.
The same lines, with offsets, are the JSON-lines export (`ficlens.writers.jsonl`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from ficlens.model import Document, Quote

SUFFIXES = (".script",)

LineKind = Literal["heading", "narration", "utterance", "thought"]
NARRATOR = "Narrator"
UNKNOWN = "Unknown"
#: Stripped from the ends of narration between quotes: quotation marks, the
#: commas and dashes that join a speech tag ("…," he said, "…").
_EDGES = ' \t\r\n"“”„«»‹›,;—–-'
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class ScriptLine:
    kind: LineKind
    #: Character id of the speaker or thinker; null for narration and unknown speakers.
    speaker: str | None
    #: The label before the colon: a character name, "Narrator" or "Unknown".
    name: str
    text: str
    #: From the first span's start to the last span's end (a heading: the chapter start, empty).
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]
    addressees: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()
    confidence: float | None = None


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _narration(doc: Document, start: int, end: int) -> Iterator[ScriptLine]:
    """The narration in [start, end), trimmed of the marks that belong to quotes."""
    chunk = doc.text[start:end]
    lead = len(chunk) - len(chunk.lstrip(_EDGES))
    trail = len(chunk.rstrip(_EDGES))
    if trail <= lead:
        return
    s, e = start + lead, start + trail
    text = _clean(doc.text[s:e])
    if any(ch.isalnum() for ch in text):
        yield ScriptLine("narration", None, NARRATOR, text, s, e, ((s, e),))


def script_lines(doc: Document) -> list[ScriptLine]:
    """Every line of the work in reading order: headings, narration, speech, thought."""
    names = {c.id: c.name for c in doc.characters}
    if names.get("narrator") == NARRATOR:
        names["narrator"] = "Narrator (speaking)"
    utterances: dict[str, list[Quote]] = defaultdict(list)
    for q in doc.quotes:
        utterances[q.utterance].append(q)
    segments: list[tuple[int, int, ScriptLine | None]] = []
    for q in doc.quotes:
        group = utterances[q.utterance]
        line = None
        if group[0] is q:
            who = q.speaker
            line = ScriptLine(
                "utterance",
                who,
                names.get(who, UNKNOWN) if who else UNKNOWN,
                " ".join(_clean(doc.text[g.start : g.end]) for g in group),
                group[0].start,
                group[-1].end,
                tuple((g.start, g.end) for g in group),
                q.addressees,
                tuple(g.id for g in group),
                q.confidence,
            )
        segments.append((q.start, q.end, line))
    for t in doc.thoughts:
        if t.character is not None:
            label = f"{names.get(t.character, UNKNOWN)} (thought)"
            text = _clean(doc.text[t.start : t.end])
            segments.append(
                (
                    t.start,
                    t.end,
                    ScriptLine("thought", t.character, label, text, t.start, t.end, ((t.start, t.end),)),
                )
            )
    segments.sort(key=lambda s: (s[0], s[1]))
    headings = sorted((c.start, c.title) for c in doc.chapters if c.title)
    out: list[ScriptLine] = []
    k = h = 0
    for p in doc.paragraphs:
        while h < len(headings) and headings[h][0] <= p.start:
            at, title = headings[h]
            out.append(ScriptLine("heading", None, NARRATOR, _clean(title or ""), at, at, ()))
            h += 1
        while k < len(segments) and segments[k][1] <= p.start:
            k += 1
        pos = p.start
        while k < len(segments) and segments[k][0] < p.end:
            start, end, line = segments[k]
            k += 1
            if start < pos:  # overlaps what is already written
                continue
            out.extend(_narration(doc, pos, start))
            if line is not None:
                out.append(line)
            pos = end
        out.extend(_narration(doc, pos, p.end))
    return out


def render(doc: Document) -> str:
    return "".join(f"{line.name}: {line.text}\n" for line in script_lines(doc))

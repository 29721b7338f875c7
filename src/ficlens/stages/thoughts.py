"""Interior monologue: italic thought and unquoted direct thought.

Fan fiction renders a character's thoughts in italics (*Why did you leave
me?*, or <em> in HTML), or as unquoted direct thought set in the narration:
"Ah, love – is this what a normal life has done to you?" in a past-tense,
third-person scene. Both are marked as thoughts and given to the character a
thought tag names ("*Figures,* Naruto thought"), else to the scene's
point-of-view character, whose thoughts a limited narration reports.

- **Italic thought**: an italic span of three or more words outside quotes,
  or a paragraph wrapped in asterisks in plain text; shorter with a thought
  tag beside it.
- **Direct thought**: in a third-person scene, a narration sentence that
  speaks in the first or second person (I, me, you, your) outside quotes, or
  whose words come before a thought tag ("This is a disaster, he thought.").

A thought with no tag naming its thinker goes to the scene's POV character,
unless a "he" or "she" tag after it says the POV character is not the one.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import ClassVar

from ficlens.model import Document, NonSpeech, Thought
from ficlens.spans import SpanIndex
from ficlens.stages.base import Stage
from ficlens.stages.quotes import CHAT_LINE

_PERSONAL = re.compile(r"\b(?:I|I'm|I'd|I'll|I've|me|my|myself|you|your|yours|yourself)\b")
_SENTENCE = re.compile(r"[^.!?…]+(?:[.!?…]+|$)")
_STARRED = re.compile(r"(?<![\w*])\*(?!\s)([^*\n]{3,}?)(?<!\s)\*(?![\w*])")
MIN_WORDS = 3
#: Verbs that tag a thought; the first four also end a sentence that is the thought.
_THOUGHT_WORDS = "thought|wondered|mused|reflected"
_THOUGHT = f"(?:{_THOUGHT_WORDS})"
_THINK = f"(?:{_THOUGHT_WORDS}|realized|realised|decided|told (?:him|her|them)self)"
#: A thought tag after a thought ("…,* Naruto thought") or before one ("Naruto thought, *…*").
_TAG_AFTER = re.compile(r"[\s*_,.!?…—-]*(?P<who>[^.!?\n\"“]{1,40}?)\s+" + _THINK + r"\b")
#: The tag before needs its stop ("Naruto thought. *…*"): "She thought *really* hard" is emphasis.
_TAG_BEFORE = re.compile(r"(?P<who>[^.!?\n\"”]{1,40}?)\s+" + _THINK + r"\s*[,:.—-][\s,:.—-]*[*_]?$")


#: A sentence that is a thought and its tag: "This is a disaster, he thought." /
#: "Ron, she thought, and felt her cheeks go warm." (the tag names a pronoun or a name).
_TAGGED = re.compile(
    r"(?P<thought>[^,*_]+?),\s+(?:he|she|they|[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)\s+" + _THOUGHT + r"\b"
)


@dataclass(frozen=True, slots=True)
class ThoughtPrediction:
    thoughts: tuple[Thought, ...]


def find_thoughts(doc: Document) -> tuple[Thought, ...]:
    quotes = SpanIndex([*(NonSpeech(q.start, q.end) for q in doc.quotes), *doc.non_speech])
    scenes = SpanIndex(doc.scenes)
    paragraphs = SpanIndex(doc.paragraphs)
    named = SpanIndex([m for m in doc.mentions if m.kind in ("name", "pronoun")])
    out: dict[tuple[int, int], Thought] = {}

    def pov_at(offset: int) -> str | None:
        k = scenes.find(offset)
        return scenes.spans[k].pov if k >= 0 else None

    def thinker(start: int, end: int) -> str | None:
        """Who a thought tag beside the span names ("Naruto thought"), if any."""
        k = paragraphs.find(start)
        if k < 0:
            return None
        para = paragraphs.spans[k]
        after = _TAG_AFTER.match(doc.text, end, min(para.end, end + 60))
        before = _TAG_BEFORE.search(doc.text, max(para.start, start - 60), start)
        for m in (after, before):
            if m is None:
                continue
            if inside := named.starting_in(m.start("who"), m.end("who")):
                return inside[0].character
        return None

    pronouns = {c.id: best[0] for c in doc.characters if (best := c.main_pronoun)}

    def fits(cid: str | None, end: int) -> str | None:
        """The scene's POV character, unless the tag's "he" or "she" says otherwise."""
        if cid is None:
            return None
        tag = _TAG_AFTER.match(doc.text, end, end + 60)
        who = tag.group("who") if tag else None
        return None if who in ("he", "she") and cid in pronouns and pronouns[cid] != who else cid

    def add(start: int, end: int, tagged: str | None = None) -> None:
        who = tagged or thinker(start, end) or fits(pov_at(start), end)
        out[(start, end)] = Thought(start, end, who)

    def found(start: int, end: int) -> bool:
        """Whether a thought already found overlaps [start, end)."""
        return any(a < end and start < b for a, b in out)

    for e in doc.emphasis:
        words = len(doc.text[e.start : e.end].split())
        if e.style == "italic" and e.start not in quotes:
            who = thinker(e.start, e.end)
            if words >= MIN_WORDS or who is not None:
                add(e.start, e.end, who)
    for p in doc.paragraphs:
        chunk = doc.text[p.start : p.end]
        for m in _STARRED.finditer(chunk):
            start, end = p.start + m.start(1), p.start + m.end(1)
            if start in quotes:
                continue
            who = thinker(start, end)
            if len(m.group(1).split()) >= MIN_WORDS or who is not None:
                add(start, end, who)
        k = scenes.find(p.start)
        if k < 0 or scenes.spans[k].person != "third" or CHAT_LINE.match(chunk):
            continue  # "**MJ:** are you coming": a chat line (in any work), not a thought
        for m in _SENTENCE.finditer(chunk):
            start = p.start + m.start() + (len(m.group()) - len(m.group().lstrip()))
            end = p.start + m.end()
            sentence = doc.text[start:end]
            # Only narration: a sentence touching a quotation is dialogue or its tag.
            if _touches(quotes, start, end):
                continue
            tagged = _TAGGED.match(sentence)
            if tagged is not None and not found(start, end):
                # "This is a disaster, he thought.": the words before the tag.
                add(start, start + tagged.end("thought"))
                continue
            if len(sentence.split()) < MIN_WORDS or not _PERSONAL.search(sentence):
                continue
            # A sentence holding or overlapping a thought already found is that thought.
            if not found(start, end):
                add(start, end)
    return tuple(sorted(out.values(), key=lambda t: (t.start, t.end)))


def _touches(quotes: SpanIndex[NonSpeech], start: int, end: int) -> bool:
    """Whether a quoted span lies within one character of [start, end)."""
    k = bisect.bisect_right(quotes.starts, end + 1)
    return k > 0 and quotes.spans[k - 1].end >= start - 1


class ThoughtStage(Stage[ThoughtPrediction]):
    name = "thoughts"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs", "scenes", "emphasis", "quotes", "mentions")
    provides: ClassVar[tuple[str, ...]] = ("thoughts",)

    def predict(self, doc: Document) -> ThoughtPrediction:
        return ThoughtPrediction(find_thoughts(doc))

    def annotate(self, doc: Document, prediction: ThoughtPrediction) -> Document:
        return doc.with_(thoughts=prediction.thoughts)

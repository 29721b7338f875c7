"""AO3-style tag suggestions, each with the evidence that supports it.

Three kinds, in AO3's conventions:

- **character**: the main characters, ranked by prominence (mentions, lines
  spoken, scenes seen through their eyes).
- **relationship**: ``A/B`` when sentences where both are present carry
  romantic or sexual cues, ``A & B`` when they carry platonic ones (friend,
  hug, sister…); nothing when the evidence is thin. The cue lexicons live in
  ``resources/tags.json`` so they can be edited without touching code.
- **narration**: First Person, Second Person, Reader-Insert, Alternating
  Points of View, Present Tense, from the scenes' person, tense and POV.

For works that carry tags of their own (AO3), the suggestions are compared
with them, with names normalised ("Buffy" matches "Buffy Summers").
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from ficlens.model import (
    Character,
    Document,
    Passage,
    TagAgreement,
    TagKind,
    TagMatch,
    Tags,
    TagSuggestion,
)
from ficlens.resources import read_text
from ficlens.spans import SpanIndex
from ficlens.stages.base import Stage
from ficlens.stages.characters import NARRATOR_ID, READER_ID

#: At most this many passages per suggestion (counts stay complete).
MAX_PASSAGES = 8
#: A character tag needs this share of the leading character's prominence…
CHARACTER_SHARE = 0.1
#: …and at least this many mentions; at most this many characters are tagged.
CHARACTER_MIN_MENTIONS = 3
MAX_CHARACTERS = 8
#: A relationship needs this many sentences with a cue where both are present…
CUE_MIN = 2
#: …and this many sentences (or lines to each other) together overall.
SHARED_MIN = 3
#: A narration tag needs this share of the narration (by scene length).
NARRATION_SHARE = 0.5
#: Alternating POV: at least two characters with this many POV scenes each.
ALTERNATING_MIN_SCENES = 2
TITLES = frozenset(("mr", "mrs", "ms", "miss", "dr", "the", "lord", "lady", "sir"))


@dataclass(frozen=True, slots=True)
class TagLexicon:
    romantic: re.Pattern[str]
    platonic: re.Pattern[str]
    #: key (first, second, reader, alternating, present) → canonical tag.
    narration: dict[str, str]
    #: normalised spelling (canonical or synonym) → narration key.
    narration_synonyms: dict[str, str]


def _cue_pattern(entries: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted(
        (r"\s+".join(map(re.escape, e.split())) + r"(?:s|es|d|[bdgmnpt]?(?:ed|ing))?" for e in entries),
        key=len,
        reverse=True,
    )
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


@cache
def tag_lexicon() -> TagLexicon:
    data: dict[str, Any] = json.loads(read_text("tags.json"))
    narration = {key: entry["tag"] for key, entry in data["narration"].items()}
    synonyms = {
        _norm(spelling): key
        for key, entry in data["narration"].items()
        for spelling in (entry["tag"], *entry["synonyms"])
    }
    return TagLexicon(_cue_pattern(data["romantic"]), _cue_pattern(data["platonic"]), narration, synonyms)


def _norm(name: str) -> str:
    """Lower case, no accents, no AO3 fandom disambiguator, words split on punctuation."""
    name = re.sub(r"\([^)]*\)", " ", name)
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


def _words(name: str) -> frozenset[str]:
    return frozenset(w for w in _norm(name).split() if w not in TITLES)


def names_match(names: Iterable[str], tag: str) -> bool:
    """Whether one of a character's names fits an AO3 character tag: every word
    of one is in the other ("Giles" and "Rupert Giles"), titles aside."""
    tag_words = _words(tag)
    if not tag_words:
        return False
    for name in names:
        words = _words(name)
        if words and (words <= tag_words or tag_words <= words):
            return True
    return False


def _names(c: Character) -> tuple[str, ...]:
    return (c.name, *c.aliases, "Reader") if c.id == READER_ID else (c.name, *c.aliases)


def _capped(spans: Iterable[tuple[int, int]]) -> tuple[Passage, ...]:
    return tuple(Passage(s, e) for s, e in sorted(set(spans))[:MAX_PASSAGES])


def _counts(**counts: int) -> tuple[tuple[str, int], ...]:
    return tuple(counts.items())


SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*\s+")


def sentences(doc: Document) -> list[Passage]:
    """The paragraphs cut after sentence-final punctuation (not after "…",
    which fan fiction uses mid-sentence): the unit in which two characters
    count as together (a paragraph is often too wide)."""
    out = []
    for p in doc.paragraphs:
        start = p.start
        for m in SENTENCE_END.finditer(doc.text, p.start, p.end):
            out.append(Passage(start, m.start() + len(m.group().rstrip())))
            start = m.end()
        if start < p.end:
            out.append(Passage(start, p.end))
    return out


class Evidence:
    """Who is present in each sentence and scene, and who speaks to whom:
    counted once per work, read by every suggestion.

    Inside a quote only its speaker and addressees count as present: a name
    said in dialogue is talked about, not there. Pronouns are often left
    unresolved, so a sentence with fewer than two characters borrows its
    paragraph's characters and its scene's POV character when those are
    exactly two: "She'd looked away, afraid of the love in his eyes."
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        units = SpanIndex(sentences(doc))
        scenes = SpanIndex(doc.scenes)
        paragraphs = SpanIndex(doc.paragraphs)
        quotes = SpanIndex(doc.quotes)
        self.units = units.spans
        own: list[set[str]] = [set() for _ in self.units]
        self.in_scene: list[set[str]] = [set() for _ in scenes.spans]
        self.names: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for m in doc.mentions:
            j = scenes.find(m.start)
            if j >= 0:
                self.in_scene[j].add(m.character)
            if m.kind == "name":
                self.names[m.character].append((m.start, m.end))
            k = units.find(m.start)
            if k >= 0 and m.start not in quotes:
                own[k].add(m.character)
        self.dialogue: Counter[frozenset[str]] = Counter()
        self.words_spoken: Counter[str] = Counter()
        self.lines: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for q in doc.quotes:
            if q.speaker is None:
                continue
            self.words_spoken[q.speaker] += len(doc.text[q.start : q.end].split())
            self.lines[q.speaker].append((q.start, q.end))
            k = max(units.find(q.start), 0)
            while k < len(self.units) and self.units[k].start < q.end:
                if self.units[k].end > q.start:
                    own[k].update((q.speaker, *q.addressees))
                k += 1
            for a in q.addressees:
                if a != q.speaker:
                    self.dialogue[frozenset((q.speaker, a))] += 1
        self.pov_scenes = Counter(s.pov for s in doc.scenes if s.pov)
        around: dict[tuple[int, int], set[str]] = defaultdict(set)
        keys = []
        for k, u in enumerate(self.units):
            p, j = paragraphs.find(u.start), scenes.find(u.start)
            pov = scenes.spans[j].pov if j >= 0 else None
            keys.append((p, j))
            around[(p, j)].update(own[k], (pov,) if pov else ())
        self.present = [
            mine if len(mine) >= 2 or len(around[key]) != 2 else around[key]
            for mine, key in zip(own, keys, strict=True)
        ]


def prominence(c: Character, ev: Evidence) -> float:
    """Mentions, plus lines spoken and POV scenes, which weigh more than a mention."""
    return c.mentions + 3 * c.quotes + 10 * ev.pov_scenes[c.id]


def suggest_characters(doc: Document, ev: Evidence) -> list[TagSuggestion]:
    ranked = sorted(
        (c for c in doc.characters if c.id != NARRATOR_ID),
        key=lambda c: (-prominence(c, ev), c.id),
    )
    if not ranked:
        return []
    top = prominence(ranked[0], ev) or 1.0
    out = []
    for c in ranked[:MAX_CHARACTERS]:
        score = prominence(c, ev) / top
        if score < CHARACTER_SHARE or c.mentions < CHARACTER_MIN_MENTIONS:
            continue
        scenes = sum(c.id in present for present in ev.in_scene)
        out.append(
            TagSuggestion(
                tag=_display(doc, c),
                kind="character",
                score=round(score, 3),
                characters=(c.id,),
                counts=_counts(
                    mentions=c.mentions,
                    names=len(ev.names[c.id]),
                    lines=c.quotes,
                    words_spoken=ev.words_spoken[c.id],
                    scenes=scenes,
                    pov_scenes=ev.pov_scenes[c.id],
                ),
                passages=_capped(ev.names[c.id] or ev.lines[c.id]),
            )
        )
    return out


def _display(doc: Document, c: Character) -> str:
    """The work's own character tag when one fits (AO3's spelling), else the name."""
    for tag in doc.work.characters:
        if names_match(_names(c), tag):
            return tag
    return "Reader" if c.id == READER_ID else c.name


def suggest_relationships(doc: Document, ev: Evidence, cast: Sequence[str]) -> list[TagSuggestion]:
    """Pairs of the tagged characters whose shared sentences carry relationship cues."""
    lex = tag_lexicon()
    cues: list[tuple[int, int]] = []  # per sentence: romantic, platonic cue counts
    for u in ev.units:
        text = doc.text[u.start : u.end]
        cues.append((len(lex.romantic.findall(text)), len(lex.platonic.findall(text))))
    by_id = {c.id: c for c in doc.characters}
    out = []
    for i, a in enumerate(cast):
        for b in cast[i + 1 :]:
            shared = [k for k, present in enumerate(ev.present) if a in present and b in present]
            romantic = [k for k in shared if cues[k][0]]
            platonic = [k for k in shared if cues[k][1]]
            pair = frozenset((a, b))
            together = len(shared) + ev.dialogue[pair]
            if together < SHARED_MIN:
                continue
            if len(romantic) >= CUE_MIN:
                chosen, sep = romantic, "/"
            elif len(platonic) >= CUE_MIN:
                chosen, sep = platonic, " & "
            else:
                continue
            score = len(chosen) / (len(chosen) + 2) * min(1.0, together / 6)
            out.append(
                TagSuggestion(
                    tag=_display(doc, by_id[a]) + sep + _display(doc, by_id[b]),
                    kind="relationship",
                    score=round(score, 3),
                    characters=(a, b),
                    counts=_counts(
                        romantic_sentences=len(romantic),
                        romantic_cues=sum(cues[k][0] for k in shared),
                        platonic_sentences=len(platonic),
                        platonic_cues=sum(cues[k][1] for k in shared),
                        shared_sentences=len(shared),
                        shared_scenes=sum(a in s and b in s for s in ev.in_scene),
                        dialogue=ev.dialogue[pair],
                    ),
                    passages=_capped((ev.units[k].start, ev.units[k].end) for k in chosen),
                )
            )
    return sorted(out, key=lambda t: -t.score)


def suggest_narration(doc: Document) -> list[TagSuggestion]:
    lex = tag_lexicon()
    scenes = [s for s in doc.scenes if s.end > s.start]
    out = []

    def share(key: str, chosen: list[tuple[int, int]], of: int) -> None:
        total = sum(e - s for s, e in chosen)
        if of and total / of >= NARRATION_SHARE:
            out.append(
                TagSuggestion(
                    tag=lex.narration[key],
                    kind="narration",
                    score=round(total / of, 3),
                    counts=_counts(scenes=len(chosen)),
                    passages=_capped(chosen),
                )
            )

    told = sum(s.end - s.start for s in scenes if s.person)
    for person in ("first", "second"):
        share(person, [(s.start, s.end) for s in scenes if s.person == person], told)
    if any(c.id == READER_ID for c in doc.characters):
        share("reader", [(s.start, s.end) for s in scenes if s.pov == READER_ID], told)
    timed = sum(s.end - s.start for s in scenes if s.tense)
    share("present", [(s.start, s.end) for s in scenes if s.tense == "present"], timed)
    povs = Counter(s.pov for s in scenes if s.pov)
    leading = [c for c, n in povs.most_common() if n >= ALTERNATING_MIN_SCENES]
    if len(leading) >= 2:
        switches = sum(1 for x, y in itertools.pairwise(scenes) if x.pov and y.pov and x.pov != y.pov)
        out.append(
            TagSuggestion(
                tag=lex.narration["alternating"],
                kind="narration",
                score=round(povs[leading[1]] / povs[leading[0]], 3),
                characters=tuple(leading),
                counts=_counts(
                    pov_characters=len(leading), switches=switches, **{c: povs[c] for c in leading}
                ),
                passages=_capped((s.start, s.end) for s in scenes if s.pov in leading),
            )
        )
    return out


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 3) if d else None


def _agreement(
    kind: TagKind, suggested: Sequence[TagSuggestion], work_tags: Sequence[str], fits: Any
) -> TagAgreement:
    """Greedy one-to-one matching of suggestions to the work's tags."""
    matched: list[TagMatch] = []
    left = list(work_tags)
    only = []
    for s in suggested:
        hit = next((t for t in left if fits(s, t)), None)
        if hit is None:
            only.append(s.tag)
        else:
            left.remove(hit)
            matched.append(TagMatch(s.tag, hit))
    return TagAgreement(
        kind,
        tuple(matched),
        tuple(only),
        tuple(left),
        _rate(len(matched), len(suggested)),
        _rate(len(matched), len(work_tags)),
    )


def agreement(doc: Document, suggestions: Sequence[TagSuggestion]) -> tuple[TagAgreement, ...]:
    """Precision and recall of the suggestions against the work's own tags, per kind."""
    work = doc.work
    if not (work.characters or work.relationships or work.additional_tags):
        return ()
    by_id = {c.id: c for c in doc.characters}
    lex = tag_lexicon()

    def of(kind: str) -> list[TagSuggestion]:
        return [s for s in suggestions if s.kind == kind]

    def character_fits(s: TagSuggestion, tag: str) -> bool:
        return names_match(_names(by_id[s.characters[0]]), tag)

    def relationship_fits(s: TagSuggestion, tag: str) -> bool:
        sep = "/" if "/" in s.tag else " & "
        sides = [x.strip() for x in tag.split(sep)] if sep in tag else []
        if len(sides) != 2:
            return False
        a, b = (_names(by_id[c]) for c in s.characters)
        return (names_match(a, sides[0]) and names_match(b, sides[1])) or (
            names_match(a, sides[1]) and names_match(b, sides[0])
        )

    def narration_fits(s: TagSuggestion, tag: str) -> bool:
        key = lex.narration_synonyms.get(_norm(tag))
        return key is not None and lex.narration[key] == s.tag

    narration_tags = [t for t in work.additional_tags if _norm(t) in lex.narration_synonyms]
    return (
        _agreement("character", of("character"), work.characters, character_fits),
        _agreement("relationship", of("relationship"), work.relationships, relationship_fits),
        _agreement("narration", of("narration"), narration_tags, narration_fits),
    )


def suggest(doc: Document) -> Tags:
    ev = Evidence(doc)
    characters = suggest_characters(doc, ev)
    cast = [t.characters[0] for t in characters]
    suggestions = [*characters, *suggest_relationships(doc, ev, cast), *suggest_narration(doc)]
    return Tags(tuple(suggestions), agreement(doc, suggestions))


class TagStage(Stage[Tags]):
    name = "tags"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs", "scenes", "characters", "mentions", "quotes")
    provides: ClassVar[tuple[str, ...]] = ("tags",)

    def predict(self, doc: Document) -> Tags:
        return suggest(doc)

    def annotate(self, doc: Document, prediction: Tags) -> Document:
        return doc.with_(tags=prediction)

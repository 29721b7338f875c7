"""Who speaks each line, and to whom.

A sieve, most certain evidence first, as careful readers (and Muzny et al.'s
quote-attribution sieve) work:

1. **explicit**: a speech verb beside the quote whose subject names a
   character ("said Spike", "Spike asked", "Spike's voice was soft");
2. **anaphoric**: the same with a pronoun subject ("he said"), resolved by
   the coreference stage;
3. **implicit**: the actor of the narration in the quote's paragraph
   (He frowned. "You're cold."), then turn-taking in alternating dialogue,
   with vocatives inside the quote pointing away from the speaker.

Addressees come from vocatives, "to her"/"at Buffy" on the speech verb, and
the turn structure (the previous speaker, when another is speaking).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from ficlens.model import Character, Document, Quote, QuoteKind
from ficlens.resources import lexicon
from ficlens.spans import SpanIndex
from ficlens.stages.base import Stage
from ficlens.stages.coref import SUBJECT_DEPS, TokenIndex

SPEECH_VERBS = lexicon("speech_verbs")
#: Verbs that tag speech in fan fiction ("Hi," she smiled) but only when nothing better is near.
WEAK_SPEECH_VERBS = lexicon("weak_speech_verbs")
VOICE_NOUNS = lexicon("voice_nouns")
_SUBJECT_PRONOUNS = frozenset(("he", "she", "i", "they"))


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None
    kind: QuoteKind | None
    confidence: float
    addressees: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SpeakerPrediction:
    #: One attribution per quote, in the order of ``Document.quotes``.
    attributions: tuple[Attribution, ...]


class _Context:
    """What the sieve consults, computed once per document."""

    def __init__(self, doc: Document) -> None:
        assert doc.tokens is not None
        self.doc = doc
        self.tokens = doc.tokens
        self.index = TokenIndex(doc, doc.tokens)
        pronoun_spans = SpanIndex([m for m in doc.mentions if m.kind == "pronoun"])
        self.resolved: dict[int, str] = {}
        for row, start in enumerate(self.tokens.start.tolist()):
            k = pronoun_spans.find(start)
            if k >= 0:
                self.resolved[row] = pronoun_spans.spans[k].character
        self.names = sorted((m for m in doc.mentions if m.kind == "name"), key=lambda m: m.start)
        self.name_starts = [m.start for m in self.names]
        self.rows_by_paragraph: dict[int, list[int]] = defaultdict(list)
        for row, p in enumerate(self.tokens.paragraph.tolist()):
            self.rows_by_paragraph[p].append(row)

    def character_at(self, row: int) -> str | None:
        return self.index.character[row] or self.resolved.get(row)

    def speaker_of_verb(self, verb: int) -> tuple[str | None, QuoteKind | None]:
        """(character, kind) for the subject of a speech verb."""
        subj = self.index.subject_of(verb)
        if subj is None:
            subj = self._inverted_subject(verb)
        if subj is None:
            return None, None
        if self.index.character[subj] is not None:
            return self.index.character[subj], "explicit"
        if self.tokens.pos[subj] == "PRON":
            return self.resolved.get(subj), "anaphoric"
        if self.tokens.lemmas[subj].lower() in VOICE_NOUNS:
            for child in self.index.children.get(subj, ()):
                if self.tokens.deps[child] == "poss":
                    cid = self.character_at(child)
                    if cid:
                        return cid, "explicit" if self.index.character[child] else "anaphoric"
        # "the vampire said": a compound or modifier naming a character ("Spike's friend").
        for child in self.index.children.get(subj, ()):
            if self.index.character[child] is not None and self.tokens.deps[child] in ("compound", "appos"):
                return self.index.character[child], "explicit"
        return None, None

    def _inverted_subject(self, verb: int) -> int | None:
        """ "said Lucy", "continued Harriet", "said he": the parser often misses an
        inverted subject, so take a character or pronoun right after the verb."""
        for row in range(verb + 1, min(verb + 4, len(self.tokens))):
            if self.index.quote[row] >= 0 or self.tokens.sentence[row] != self.tokens.sentence[verb]:
                return None
            if self.index.character[row] is not None or (
                self.tokens.pos[row] == "PRON" and self.tokens.words[row].lower() in _SUBJECT_PRONOUNS
            ):
                return row
            if self.tokens.pos[row] not in ("PROPN", "ADV", "DET"):
                return None
        return None

    def addressee_of_verb(self, verb: int) -> str | None:
        for child in self.index.children.get(verb, ()):
            if self.tokens.words[child].lower() in ("to", "at") and self.tokens.deps[child] == "prep":
                for obj in self.index.children.get(child, ()):
                    cid = self.character_at(obj)
                    if cid:
                        return cid
            if self.tokens.deps[child] in ("dobj", "dative") and self.tokens.lemmas[verb] in (
                "tell",
                "ask",
                "answer",
            ):
                cid = self.character_at(child)
                if cid:
                    return cid
        return None


def _utterances(quotes: Sequence[Quote]) -> list[list[int]]:
    groups: dict[str, list[int]] = {}
    for k, q in enumerate(quotes):
        if q.kind != "non_speech":
            groups.setdefault(q.utterance, []).append(k)
    return sorted(groups.values(), key=lambda g: g[0])


def _narration_rows(ctx: _Context, paragraph: int, lo: int, hi: int) -> list[int]:
    """Narration token rows of a paragraph whose offsets lie in [lo, hi)."""
    return [
        r
        for r in ctx.rows_by_paragraph.get(paragraph, ())
        if ctx.index.quote[r] < 0 and lo <= ctx.tokens.start[r] < hi
    ]


def _tag(
    ctx: _Context, rows: Sequence[int], strong_only: bool
) -> tuple[str | None, QuoteKind | None, int | None]:
    """The speaker named by a speech tag among ``rows``: (character, kind, verb row)."""
    for weak in (False, True):
        if weak and strong_only:
            break
        for r in rows:
            lemma = ctx.tokens.lemmas[r].lower()
            if ctx.tokens.pos[r] not in ("VERB", "AUX"):
                continue
            if lemma in (WEAK_SPEECH_VERBS if weak else SPEECH_VERBS):
                cid, kind = ctx.speaker_of_verb(r)
                if cid is not None:
                    return cid, kind, r
            if not weak and ctx.tokens.lemmas[r].lower() in VOICE_NOUNS:
                continue
        # "Spike's voice was soft": a voice noun subject with a possessive character.
        for r in rows:
            if ctx.tokens.lemmas[r].lower() in VOICE_NOUNS and ctx.tokens.deps[r] in SUBJECT_DEPS:
                for child in ctx.index.children.get(r, ()):
                    if ctx.tokens.deps[child] == "poss" and ctx.character_at(child):
                        kind = "explicit" if ctx.index.character[child] else "anaphoric"
                        return ctx.character_at(child), kind, None
    return None, None, None


def _introduction(ctx: _Context, p: int, before: Sequence[int]) -> list[int]:
    """The last sentence of the previous paragraph, when it introduces the quote
    ("Emma found an opportunity of saying," / "He addressed her:") and nothing
    of the quote's own paragraph stands before it."""
    if before or p <= 0:
        return []
    rows = ctx.rows_by_paragraph.get(p - 1, [])
    if not rows or any(ctx.index.quote[r] >= 0 for r in rows[-3:]):
        return []
    if ctx.tokens.words[rows[-1]] not in (":", ",", "—", "-", "--", "–"):
        return []
    last_sentence = ctx.tokens.sentence[rows[-1]]
    return [r for r in rows if ctx.tokens.sentence[r] == last_sentence]


def _actor(ctx: _Context, rows: Sequence[int]) -> str | None:
    """The character who acts in the narration: the first character subject."""
    for r in rows:
        if ctx.tokens.deps[r] in SUBJECT_DEPS:
            cid = ctx.character_at(r)
            if cid:
                return cid
    return None


def _vocatives(ctx: _Context, quote_ids: Sequence[int]) -> list[str]:
    """Characters named inside the quote (vocatives point away from the speaker)."""
    out: list[str] = []
    text = ctx.doc.text
    for k in quote_ids:
        q = ctx.doc.quotes[k]
        lo = bisect.bisect_left(ctx.name_starts, q.start)
        hi = bisect.bisect_left(ctx.name_starts, q.end)
        for m in ctx.names[lo:hi]:
            before = text[max(q.start, m.start - 2) : m.start]
            after = text[m.end : min(q.end + 1, m.end + 2)]
            if m.start == q.start or "," in before or after[:1] in (",", "!", "?", ".") or m.end == q.end:
                out.append(m.character)
    return out


def attribute(doc: Document) -> SpeakerPrediction:
    ctx = _Context(doc)
    quotes = doc.quotes
    result: list[Attribution] = [
        Attribution(None, "non_speech" if q.kind == "non_speech" else None, 0.0) for q in quotes
    ]
    utterances = _utterances(quotes)
    paragraph_of = SpanIndex(doc.paragraphs)
    para_idx = [paragraph_of.find(quotes[g[0]].start) for g in utterances]
    chosen: list[Attribution | None] = []
    for g, p in zip(utterances, para_idx, strict=True):
        para = doc.paragraphs[p] if p >= 0 else None
        first, last = quotes[g[0]], quotes[g[-1]]
        if para is None:
            chosen.append(None)
            continue
        others = [q for q in quotes if para.start <= q.start < para.end and q.utterance != first.utterance]
        prev_end = max((q.end for q in others if q.end <= first.start), default=para.start)
        next_start = min((q.start for q in others if q.start >= last.end), default=para.end)
        inside = _narration_rows(ctx, p, first.start, last.end)
        after = _narration_rows(ctx, p, last.end, next_start)
        before = _narration_rows(ctx, p, prev_end, first.start)
        attribution = None
        intro = _introduction(ctx, p, before)
        for rows in (inside, after, before[-25:], intro):
            cid, kind, verb = _tag(ctx, rows, strong_only=False)
            if cid is not None:
                addressee = ctx.addressee_of_verb(verb) if verb is not None else None
                attribution = Attribution(
                    cid,
                    kind,
                    0.9 if kind == "explicit" else 0.75,
                    (addressee,) if addressee and addressee != cid else (),
                )
                break
        if attribution is None:
            actor = _actor(ctx, before[-25:] + inside + after[:25]) or _actor(ctx, intro)
            if actor is not None:
                attribution = Attribution(actor, "implicit", 0.6)
        chosen.append(attribution)
    _turn_taking(ctx, utterances, para_idx, chosen)
    for g, att in zip(utterances, chosen, strict=True):
        if att is None:
            continue
        vocs = [v for v in _vocatives(ctx, g) if v != att.speaker]
        addressees = tuple(dict.fromkeys((*att.addressees, *vocs)))
        for k in g:
            result[k] = replace(att, addressees=addressees)
    _addressees_from_turns(utterances, para_idx, result)
    return SpeakerPrediction(tuple(result))


def _turn_taking(
    ctx: _Context, utterances: list[list[int]], para_idx: list[int], chosen: list[Attribution | None]
) -> None:
    """Fill gaps in alternating dialogue: A, B, A, B … paragraph by paragraph.

    An unattributed line goes to the speaker two paragraphs back when the
    paragraph between was someone else's, else to the previous line's
    addressee; a line continuing a paragraph goes to that paragraph's speaker.
    A vocative naming a character rules that character out.
    """
    last_in: dict[int, str] = {}  # paragraph → its last known speaker
    for i, att in enumerate(chosen):
        p = para_idx[i]
        if att is None:
            vocs = set(_vocatives(ctx, utterances[i]))
            guess = None
            if i >= 1 and para_idx[i - 1] == p and chosen[i - 1] is not None:
                prev = chosen[i - 1]
                if prev is not None and prev.speaker and prev.speaker not in vocs:
                    guess = Attribution(prev.speaker, "implicit", 0.5)
            if guess is None:
                a, b = _last_two(last_in, p)
                if a and b and a not in vocs:
                    guess = Attribution(a, "implicit", 0.5)
                elif b and i >= 1 and para_idx[i - 1] == p - 1:
                    prev = chosen[i - 1]
                    if prev is not None and prev.addressees and prev.addressees[0] not in vocs:
                        guess = Attribution(prev.addressees[0], "implicit", 0.45)
            chosen[i] = att = guess
        if att is not None and att.speaker:
            last_in[p] = att.speaker


def _last_two(last_in: dict[int, str], p: int, window: int = 6) -> tuple[str | None, str | None]:
    """(the speaker before the last, the last speaker) of a conversation, looking
    back at most ``window`` paragraphs; the last must be in one of the previous two."""
    last = None
    for q in range(p - 1, p - window - 1, -1):
        who = last_in.get(q)
        if who is None:
            continue
        if last is None:
            if q < p - 2:
                return None, None
            last = who
        elif who != last:
            return who, last
    return None, last


def _addressees_from_turns(
    utterances: list[list[int]], para_idx: list[int], result: list[Attribution]
) -> None:
    """With no vocative or "to X", a line is addressed to the previous speaker."""
    prev_speaker: str | None = None
    prev_para = -10
    for g, p in zip(utterances, para_idx, strict=True):
        att = result[g[0]]
        if (
            att.speaker
            and not att.addressees
            and prev_speaker
            and prev_speaker != att.speaker
            and p - prev_para <= 2
        ):
            for k in g:
                result[k] = replace(att, addressees=(prev_speaker,))
        if att.speaker:
            prev_speaker, prev_para = att.speaker, p


class SpeakerStage(Stage[SpeakerPrediction]):
    name = "speakers"
    requires: ClassVar[tuple[str, ...]] = ("tokens", "quotes", "characters", "mentions")
    provides: ClassVar[tuple[str, ...]] = ("quotes", "characters")

    def predict(self, doc: Document) -> SpeakerPrediction:
        if doc.tokens is None:
            return SpeakerPrediction(tuple(Attribution(None, q.kind, 0.0) for q in doc.quotes))
        return attribute(doc)

    def annotate(self, doc: Document, prediction: SpeakerPrediction) -> Document:
        quotes = tuple(
            replace(
                q,
                speaker=a.speaker,
                addressees=a.addressees,
                kind=a.kind,
                confidence=round(a.confidence, 3),
            )
            for q, a in zip(doc.quotes, prediction.attributions, strict=True)
        )
        spoken = Counter(q.speaker for q in quotes if q.speaker)
        characters = tuple(
            Character(c.id, c.name, c.aliases, c.pronouns, c.mentions, spoken[c.id]) for c in doc.characters
        )
        return doc.with_(quotes=quotes, characters=characters)

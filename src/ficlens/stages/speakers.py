"""Who speaks each line, and to whom.

Two steps. First a sieve, most certain evidence first, as careful readers
(and Muzny et al.'s quote-attribution sieve) work:

1. **explicit**: a speech verb beside the quote whose subject names a
   character ("said Spike", "Spike asked", "Spike's voice was soft");
2. **anaphoric**: the same with a pronoun subject ("he said"), resolved by
   the coreference stage;
3. **implicit**: the actor of the narration in the quote's paragraph
   (He frowned. "You're cold."), then turn-taking in alternating dialogue,
   with vocatives inside the quote pointing away from the speaker.

Then a learned ranker (LightGBM, trained on PDNC by
``training/train_speakers.py``) scores every nearby character for every
utterance from the same evidence plus the sieve's own answers, and picks the
best; a second pass reads the first pass's answers as the conversation so
far, and the last pass's probabilities are decoded a conversation at a time,
so that turns in a run of one-line paragraphs alternate (A, B, A, B) unless
the evidence says otherwise. Without a model the sieve's answer stands.

Addressees come from vocatives, "to her"/"at Buffy" on the speech verb, and
the turn structure (the previous speaker, when another is speaking).
"""

from __future__ import annotations

import math
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import numpy as np

from ficlens.model import Character, Document, QuoteKind
from ficlens.stages.base import Stage
from ficlens.stages.speaker_features import Candidates, Ranker, load_ranker
from ficlens.stages.speech_evidence import Context, Evidence, conversations, gather

#: Confidence of each sieve rule (how often it was right on PDNC, roughly).
SIEVE_CONFIDENCE = {"explicit": 0.9, "anaphoric": 0.75, "actor": 0.6, "turn": 0.5, "addressee": 0.45}


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


def sieve(ctx: Context, evidence: list[Evidence]) -> list[Attribution | None]:
    """The rule-based answer for every utterance (None where no rule fires)."""
    chosen: list[Attribution | None] = []
    for ev in evidence:
        attribution = None
        if ev.tags:
            tag = ev.tags[0]
            addressee = ctx.addressee_of_verb(tag.verb) if tag.verb is not None else None
            attribution = Attribution(
                tag.character,
                tag.kind,
                SIEVE_CONFIDENCE["explicit" if tag.kind == "explicit" else "anaphoric"],
                (addressee,) if addressee and addressee != tag.character else (),
            )
        elif ev.actor is not None:
            attribution = Attribution(ev.actor, "implicit", SIEVE_CONFIDENCE["actor"])
        chosen.append(attribution)
    _turn_taking(evidence, chosen)
    return chosen


def _turn_taking(evidence: list[Evidence], chosen: list[Attribution | None]) -> None:
    """Fill gaps in alternating dialogue: A, B, A, B … paragraph by paragraph.

    An unattributed line goes to the speaker before the last one in the
    conversation, else to the previous line's addressee; a line continuing a
    paragraph goes to that paragraph's speaker. A vocative naming a
    character rules that character out.
    """
    last_in: dict[int, str] = {}  # paragraph → its last known speaker
    for i, att in enumerate(chosen):
        p = evidence[i].paragraph
        if i and evidence[i].scene != evidence[i - 1].scene:
            last_in.clear()
        if att is None:
            vocs = set(evidence[i].vocatives)
            guess = None
            prev = chosen[i - 1] if i >= 1 else None
            if (
                prev is not None
                and prev.speaker
                and evidence[i - 1].paragraph == p
                and prev.speaker not in vocs
            ):
                guess = Attribution(prev.speaker, "implicit", SIEVE_CONFIDENCE["turn"])
            if guess is None:
                a, b = last_two_speakers(last_in, p)
                if a and b and a not in vocs:
                    guess = Attribution(a, "implicit", SIEVE_CONFIDENCE["turn"])
                elif (
                    b
                    and prev is not None
                    and evidence[i - 1].paragraph == p - 1
                    and prev.addressees
                    and prev.addressees[0] not in vocs
                ):
                    guess = Attribution(prev.addressees[0], "implicit", SIEVE_CONFIDENCE["addressee"])
            chosen[i] = att = guess
        if att is not None and att.speaker:
            last_in[p] = att.speaker


def last_two_speakers(last_in: dict[int, str], p: int, window: int = 6) -> tuple[str | None, str | None]:
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


def candidate_scores(
    candidates: Candidates, chosen: list[Attribution | None], ranker: Ranker
) -> list[tuple[list[str], np.ndarray]]:
    """Every utterance's candidates and the ranker's probability for each."""
    return [
        (names, ranker.predict(features) if names else np.zeros(0))
        for names, features in candidates.features(chosen)
    ]


def _attribution(
    evidence: Evidence, previous: Attribution | None, names: list[str], scores: np.ndarray, k: int
) -> Attribution:
    speaker = names[k]
    tag = next((t for t in evidence.tags if t.character == speaker), None)
    kind: QuoteKind = tag.kind if tag is not None and tag.kind else "implicit"
    addressees = previous.addressees if previous is not None and previous.speaker == speaker else ()
    return Attribution(speaker, kind, round(float(scores[k]), 3), addressees)


def rank(
    candidates: Candidates, chosen: list[Attribution | None], ranker: Ranker
) -> list[Attribution | None]:
    """Re-decide every utterance with the learned ranker, each on its own."""
    evidence = candidates.evidence
    return [
        _attribution(evidence[i], chosen[i], names, scores, _pick(evidence[i], names, scores))
        if names
        else chosen[i]
        for i, (names, scores) in enumerate(candidate_scores(candidates, chosen, ranker))
    ]


def _beat(ev: Evidence, names: list[str]) -> int | None:
    """The candidate a named action beat gives an untagged line, if any."""
    return names.index(ev.beat) if not ev.tags and ev.beat is not None and ev.beat in names else None


def _pick(ev: Evidence, names: list[str], scores: np.ndarray) -> int:
    """A line's candidate taken alone: its action beat's, else the ranker's best."""
    beat = _beat(ev, names)
    return int(np.argmax(scores)) if beat is None else beat


#: Log-score bonus for a line by the speaker of the line before the last, when
#: another spoke between (A, B, A, not A, A, A), and penalty for one by the last
#: speaker, in a run of one-line paragraphs. Chosen by cross-validation over
#: PDNC's folds (1.5 and -0.6 in four folds of five; a grid from 0.5 to 2.5 and
#: -0.6 to -2 moves held-out accuracy by at most 0.3 points).
#: A second line in the same paragraph is the same speaker's, most often.
ALTERNATION_BONUS = 1.5
REPEAT_PENALTY = -0.6
SAME_PARAGRAPH_BONUS = 2.0
#: Further penalty for an untagged line by the speaker of a tagged line in the
#: paragraph just before: in PDNC the next paragraph's untagged line is someone
#: else's 3,343 times in 3,416 (98%).
AFTER_TAG_PENALTY = -3.0
#: Candidates per line the conversation decoder weighs.
DECODE_TOP = 4


def decode_conversations(
    evidence: list[Evidence], scored: list[tuple[list[str], np.ndarray]]
) -> list[int | None]:
    """The best candidate of each line, chosen for whole conversations at once.

    Lines in consecutive paragraphs form a conversation; the speakers that
    maximise the sum of log probabilities, with turns that alternate from
    paragraph to paragraph and one speaker within a paragraph, win (exact
    search over the last two speakers, on each line's top candidates).
    """
    out: list[int | None] = []
    for run in conversations(evidence):
        out.extend(_decode_run(evidence, scored, run.start, run.stop))
    return out


#: A decoder state: (speaker two lines back, last speaker).
_State = tuple[str | None, str | None]


def _decode_run(
    evidence: list[Evidence], scored: list[tuple[list[str], np.ndarray]], start: int, end: int
) -> list[int | None]:
    """Viterbi over one conversation: each step keeps, per state, its best score
    and a pointer back, so a long run costs time linear in its length."""
    beams: dict[_State, float] = {(None, None): 0.0}
    back: list[dict[_State, tuple[_State, int | None]]] = []
    for i in range(start, end):
        names, scores = scored[i]
        # Two lines in one paragraph are one speaker's ("Sorry." He sat. "I'm late.").
        same = i > start and evidence[i].paragraph == evidence[i - 1].paragraph
        # An untagged line in the paragraph after a tagged one answers it.
        answers = (
            i > start
            and not evidence[i].tags
            and evidence[i].paragraph == evidence[i - 1].paragraph + 1
            and bool(evidence[i - 1].tags)
        )
        repeat = REPEAT_PENALTY + AFTER_TAG_PENALTY * answers
        grown: dict[_State, float] = {}
        pointers: dict[_State, tuple[_State, int | None]] = {}
        for state, total in beams.items():
            before, last = state
            for k in _options(evidence[i], names, scores) or [None]:
                who = names[k] if k is not None else None
                if k is None:
                    value = total
                else:
                    value = total + _step(float(scores[k]), who, before, last, same, repeat)
                key = (last, who)
                if key not in grown or grown[key] < value:
                    grown[key], pointers[key] = value, (state, k)
        beams = grown
        back.append(pointers)
    state = max(beams, key=lambda s: beams[s])
    picks: list[int | None] = []
    for pointers in reversed(back):
        state, k = pointers[state]
        picks.append(k)
    return picks[::-1]


def _options(ev: Evidence, names: list[str], scores: np.ndarray) -> list[int | None]:
    """The candidates the decoder weighs for a line, best first. A line with a
    name in its speech tag, or whose ranker's answer is the actor of its own
    narration ("Sorry." Daniel slides into his chair), keeps that answer: it
    anchors the rest. So does an untagged line after a named action beat."""
    beat = _beat(ev, names)
    if beat is not None:
        return [beat]
    ranked = [int(k) for k in np.argsort(-scores, kind="stable")]
    anchored = any(t.kind == "explicit" for t in ev.tags) or (
        bool(ranked) and ev.actor is not None and names[ranked[0]] == ev.actor
    )
    return [*ranked[: 1 if anchored else DECODE_TOP]]


def _step(
    probability: float,
    who: str | None,
    before: str | None,
    last: str | None,
    same: bool,
    repeat: float,
) -> float:
    """A line's log probability with the turn-taking bonus or penalty
    (``repeat``, for a line by the last speaker in a paragraph of its own)."""
    turn = (
        SAME_PARAGRAPH_BONUS * (who == last)
        if same
        else ALTERNATION_BONUS * (who == before != last) + repeat * (who == last)
    )
    return math.log(max(probability, 1e-6)) + turn


def attribute(doc: Document, ranker: Ranker | None = None) -> SpeakerPrediction:
    ctx, evidence = gather(doc)
    chosen = sieve(ctx, evidence)
    if ranker is not None:
        candidates = Candidates(ctx, evidence)
        final = ranker
        if ranker.second is not None:
            # Second pass: the same evidence, with the first pass's answers as the
            # conversation so far (who spoke one, two, three lines ago).
            chosen, final = rank(candidates, chosen, ranker), ranker.second
        scored = candidate_scores(candidates, chosen, final)
        picks = decode_conversations(evidence, scored)
        chosen = [
            _attribution(evidence[i], chosen[i], names, scores, k) if k is not None else chosen[i]
            for i, ((names, scores), k) in enumerate(zip(scored, picks, strict=True))
        ]
    _fill_gaps(evidence, chosen)
    result = [Attribution(None, None, 0.0) for _ in doc.quotes]
    for ev, att in zip(evidence, chosen, strict=True):
        if att is None:
            continue
        vocs = [v for v in ev.vocatives if v != att.speaker]
        addressees = tuple(dict.fromkeys((*att.addressees, *vocs)))
        for k in ev.quotes:
            result[k] = replace(att, addressees=addressees)
    _addressees_from_turns(evidence, result)
    return SpeakerPrediction(tuple(result))


#: Confidence of a speaker given only because every line needs one.
FALLBACK_CONFIDENCE = 0.1


def _fill_gaps(evidence: list[Evidence], chosen: list[Attribution | None]) -> None:
    """Give every line a speaker, as audiobook scripts need one: a line no rule
    or model could place goes to the conversation's other speaker (the one
    before the last, as in alternating dialogue), else to the last one, with a
    low confidence that says it is a guess."""
    recent: list[str] = []  # distinct speakers, most recent last
    for i, att in enumerate(chosen):
        if i and evidence[i].scene != evidence[i - 1].scene:
            recent.clear()
        if att is None or att.speaker is None:
            vocs = set(evidence[i].vocatives)
            options = [c for c in reversed(recent) if c not in vocs]
            if options:
                guess = options[1] if len(options) > 1 else options[0]
                chosen[i] = att = Attribution(guess, "implicit", FALLBACK_CONFIDENCE)
        if att is not None and att.speaker:
            if att.speaker in recent:
                recent.remove(att.speaker)
            recent.append(att.speaker)


def _addressees_from_turns(evidence: list[Evidence], result: list[Attribution]) -> None:
    """With no vocative or "to X", a line is addressed to the previous speaker;
    a line going on in its speaker's paragraph ("Hogsmeade," Harry said.
    "Tonight.") to whoever the line before was."""
    prev: Attribution | None = None
    prev_ev: Evidence | None = None
    for ev in evidence:
        att = result[ev.quotes[0]]
        if att.speaker and not att.addressees and prev is not None and prev_ev is not None:
            near = ev.paragraph - prev_ev.paragraph <= 2 and ev.scene == prev_ev.scene
            to: tuple[str, ...] = ()
            if near and prev.speaker and prev.speaker != att.speaker:
                to = (prev.speaker,)
            elif prev.speaker == att.speaker and ev.paragraph == prev_ev.paragraph:
                to = prev.addressees
            for k in ev.quotes:
                result[k] = att = replace(att, addressees=to)
        if att.speaker:
            prev, prev_ev = att, ev
    # A line still addressed to no one (a conversation's first line) is spoken
    # to the others who speak in that conversation.
    for run in conversations(evidence):
        speakers = list(dict.fromkeys(s for i in run if (s := result[evidence[i].quotes[0]].speaker)))
        for i in run:
            att = result[evidence[i].quotes[0]]
            if att.speaker and not att.addressees:
                to = tuple(s for s in speakers if s != att.speaker)
                for k in evidence[i].quotes:
                    result[k] = replace(att, addressees=to)


class SpeakerStage(Stage[SpeakerPrediction]):
    name = "speakers"
    requires: ClassVar[tuple[str, ...]] = ("tokens", "quotes", "characters", "mentions")
    provides: ClassVar[tuple[str, ...]] = ("quotes", "characters")

    def __init__(self, model: str | Path | None = None, use_model: bool = True) -> None:
        """``model``: a LightGBM text model to use instead of the shipped one
        (also settable with FICLENS_SPEAKER_MODEL); ``use_model=False``: the sieve alone."""
        chosen = model or os.environ.get("FICLENS_SPEAKER_MODEL")
        self.ranker = load_ranker(chosen) if use_model else None

    def predict(self, doc: Document) -> SpeakerPrediction:
        if doc.tokens is None:
            return SpeakerPrediction(tuple(Attribution(None, q.kind, 0.0) for q in doc.quotes))
        return attribute(doc, self.ranker)

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

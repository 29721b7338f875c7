"""Features for the learned speaker ranker, and the ranker itself.

For each utterance, every character mentioned near it (or speaking near it)
is a candidate, described by the evidence a reader weighs: is it named in a
speech tag, and where; is it the actor of the narration; how recently and
how often is it mentioned; did it speak one, two or three lines ago, and
how much of the rest of its conversation (in the turns of this line's parity
and of the other); is it
addressed by name inside the quote (then it is probably not the speaker).
The ranker is a LightGBM model stored as text in the package: no pickle,
deterministic, and retrainable with ``training/train_speakers.py``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ficlens.learned import TextModel, model_text, second_pass_name
from ficlens.spans import SpanIndex
from ficlens.stages.coref import FIRST_PERSON, SECOND_PERSON, name_subject, subject_like
from ficlens.stages.speech_evidence import Context, Evidence, conversations

if TYPE_CHECKING:
    from ficlens.stages.speakers import Attribution

FEATURES = (
    "tag_inside_explicit",
    "tag_inside_anaphoric",
    "tag_after_explicit",
    "tag_after_anaphoric",
    "tag_before_explicit",
    "tag_before_anaphoric",
    "tag_intro",
    "lead",
    "tag_names_other",
    "sieve_pick",
    "sieve_pick_implicit",
    "actor",
    "vocative_here",
    "vocative_prev",
    "spoke_prev1",
    "spoke_prev2",
    "spoke_prev3",
    "spoke_next_here",
    "spoke_next_after",
    "prev_same_paragraph",
    "paragraph_gap_prev",
    "mentions_paragraph",
    "subject_paragraph",
    "mentions_prev_paragraph",
    "subject_prev_paragraph",
    "paragraphs_since_mention",
    "paragraphs_to_next_mention",
    "mentions_window",
    "named_in_quote",
    "prominence",
    "is_narrator",
    "tag_pronoun_agrees",
    "addressed_prev",
    "n_candidates",
    "last_subject_before",
    "quote_has_narration",
    "seen_in_scene",
    "called_next",
    "tagged_so_far_in_conversation",
    "tagged_later_in_conversation",
    "named_before_conversation",
    "share_of_conversation",
    "share_same_parity",
    "share_odd_parity",
    "scene_subject_share",
    "anchor_back_same_parity",
    "anchor_back_odd_parity",
    "anchor_ahead_same_parity",
    "anchor_ahead_odd_parity",
    "anchor_back_distance",
    "anchor_ahead_distance",
)
#: Paragraphs looked back (and ahead) for candidates.
WINDOW_BACK = 6
WINDOW_AHEAD = 1
MAX_CANDIDATES = 16
#: Fewer candidates than this, and the narration is searched up to `FAR_BACK` paragraphs back.
MIN_CANDIDATES = 3
FAR_BACK = 40
#: How many lines back a speaker stays a candidate.
RECENT_SPEAKERS = 12
#: Paragraphs before a conversation's first line whose narration names its participants.
CONVERSATION_LEAD = 6
MODEL_RESOURCE = "models/speakers.lgb.txt"


class Ranker(TextModel):
    """The speaker ranker: a `TextModel` over `FEATURES`, maybe with a second pass."""

    def __init__(self, text: str, second: Ranker | None = None) -> None:
        super().__init__(text, FEATURES)
        #: The second-pass model, which reads the first pass's answers.
        self.second = second
        #: A ranking model (LambdaRank) scores candidates against each other, not alone.
        self.ranking = any(line.startswith("objective=lambdarank") for line in text.splitlines()[:40])

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Each candidate's probability of being the speaker: a softmax over one
        utterance's candidates for a ranking model, else the classifier's own."""
        scores = super().predict(x)
        if not self.ranking or not len(scores):
            return scores
        e = np.exp(scores - scores.max())
        return np.asarray(e / e.sum(), dtype=np.float64)


def load_ranker(path: str | Path | None = None) -> Ranker | None:
    """The ranker from ``path`` (and its second pass, when one lies beside it),
    or the shipped one; None when neither exists."""
    first = model_text(MODEL_RESOURCE, str(path) if path else None)
    if first is None:
        if path is not None:
            raise FileNotFoundError(path)
        return None
    second = model_text(second_pass_name(MODEL_RESOURCE), second_pass_name(str(path)) if path else None)
    return Ranker(first, Ranker(second) if second else None)


class _Mentions:
    """Character mentions per paragraph: narration ones (with subject flags) and quoted ones."""

    def __init__(self, ctx: Context) -> None:
        self.narration: dict[int, list[tuple[str, bool, int]]] = defaultdict(list)
        self.quoted: dict[int, list[str]] = defaultdict(list)
        self.total: Counter[str] = Counter()
        tokens = ctx.tokens
        prev = None
        for row in range(len(tokens)):
            cid = ctx.character_at(row)
            if cid is None or (prev == cid and ctx.index.character[row] is not None):
                prev = cid
                continue
            prev = cid
            p = int(tokens.paragraph[row])
            self.total[cid] += 1
            if ctx.index.quoted[row]:
                self.quoted[p].append(cid)
            else:
                subject = (
                    name_subject(tokens, ctx.index.character, row)
                    if ctx.index.character[row] is not None
                    else subject_like(tokens, row)
                )
                self.narration[p].append((cid, subject, int(tokens.start[row])))


class Candidates:
    """One document's candidates and features. What does not depend on the
    answers so far (mentions per paragraph, genders, scene voices) is read
    once here, not again for each pass of the ranker."""

    def __init__(self, ctx: Context, evidence: Sequence[Evidence]) -> None:
        self.ctx = ctx
        self.evidence = evidence
        self.mentions = _Mentions(ctx)
        self.genders = ctx.genders
        self.top = max(self.mentions.total.values(), default=1)
        self.voices, self.seen = _scene_context(ctx, evidence)
        self.subjects = _scene_subjects(ctx, self.mentions)
        self.runs = list(conversations(evidence))
        self.conversations = _conversations(evidence, self.mentions, self.runs)

    def features(self, chosen: Sequence[Attribution | None]) -> Iterator[tuple[list[str], np.ndarray]]:
        """(candidate character ids, feature matrix) for each utterance, in
        order, given the answers so far (``chosen``)."""
        ctx, evidence, mentions = self.ctx, self.evidence, self.mentions
        speaker = [a.speaker if a is not None else None for a in chosen]
        anchors = _anchors(evidence, chosen)
        turns = [t for run in self.runs for t in repeat(_Turns.count(run, speaker, evidence), len(run))]
        for i, ev in enumerate(evidence):
            p = ev.paragraph
            cands: dict[str, None] = {}
            for q in range(p, p - WINDOW_BACK - 1, -1):
                for cid, _, _ in reversed(mentions.narration.get(q, ())):
                    cands.setdefault(cid)
            for q in range(p + 1, p + WINDOW_AHEAD + 1):
                for cid, _, _ in mentions.narration.get(q, ()):
                    cands.setdefault(cid)
            for j in range(i - 1, max(-1, i - 7), -1):
                if speaker[j]:
                    cands.setdefault(speaker[j])  # type: ignore[arg-type]
            for tag in ev.tags:
                cands.setdefault(tag.character)
            if speaker[i]:
                cands.setdefault(speaker[i])  # type: ignore[arg-type]
            # Farther back: whoever took part in the conversation (spoke, or was
            # spoken to by name), though the narration has not named them lately.
            for j in range(i - 7, max(-1, i - 1 - RECENT_SPEAKERS), -1):
                if speaker[j]:
                    cands.setdefault(speaker[j])  # type: ignore[arg-type]
            for q in range(p, p - 3, -1):
                for cid in mentions.quoted.get(q, ()):
                    cands.setdefault(cid)
            # A long run of untagged lines can outlast every window: then the
            # characters the narration named last, however far back, are its speakers.
            q = p - WINDOW_BACK - 1
            while len(cands) < MIN_CANDIDATES and q >= max(0, p - FAR_BACK):
                for cid, _, _ in reversed(mentions.narration.get(q, ())):
                    cands.setdefault(cid)
                q -= 1
            # Whoever takes part in the conversation: a speech tag in it, before
            # or after this line, the narration that set it up, and the scene's "I".
            talk = self.conversations[i]
            for who in (*talk.tagged_so_far, *talk.tagged_later, *talk.named_before, self.voices[i]):
                if who is not None:
                    cands.setdefault(who)
            names = list(cands)[:MAX_CANDIDATES]
            if p < 0 or not names:
                yield [], np.zeros((0, len(FEATURES)))
                continue
            scene = _Scene(self.voices[i], self.seen[i], self.subjects.get(ev.scene, _NO_SUBJECTS))
            matrix = _matrix(
                ctx,
                evidence,
                chosen,
                speaker,
                mentions,
                self.genders,
                self.top,
                scene,
                talk,
                i,
                names,
                turns=turns[i],
            )
            yield names, np.hstack([matrix, _anchor_features(anchors[i], names)])


@dataclass(frozen=True, slots=True)
class _Scene:
    """What a line's scene says about its speaker: whose "I" (or "you") the
    narration is, and who has been named or referred to in it so far."""

    voice: str | None
    seen: frozenset[str]
    #: How often each character is the subject of the scene's narration, against
    #: its most frequent subject: the one it follows ("Tony took him to the
    #: door") speaks in its untagged talk.
    subjects: dict[str, float]


_NO_SUBJECTS: dict[str, float] = {}


@dataclass(frozen=True, slots=True)
class _Talk:
    """A line's conversation (lines in consecutive paragraphs of one scene):
    how often each character is named in its speech tags up to this line and
    after it, and how often the narration just before its first line named
    them. A long untagged exchange outlasts every window around a line, but
    not its conversation."""

    tagged_so_far: Counter[str]
    tagged_later: Counter[str]
    named_before: Counter[str]


@dataclass(frozen=True, slots=True)
class _Turns:
    """A conversation's lines by the answers so far, counted once a pass: per
    (speaker, paragraph parity), and per parity. Alternating turns give a line
    the speaker of the lines an even number of paragraphs away."""

    said: Counter[tuple[str | None, int]]
    lines: Counter[int]

    @staticmethod
    def count(run: range, speaker: Sequence[str | None], evidence: Sequence[Evidence]) -> _Turns:
        parity = [evidence[j].paragraph % 2 for j in run]
        return _Turns(Counter(zip((speaker[j] for j in run), parity, strict=True)), Counter(parity))

    def shares(self, cid: str, own: str | None, parity: int) -> tuple[float, float, float]:
        """The share of the conversation's other lines (all but this one, by
        ``own``, at ``parity``) spoken by ``cid``: in all, at this line's parity
        and at the other."""
        same = self.said[cid, parity] - (own == cid)
        odd = self.said[cid, 1 - parity]
        n_same, n_odd = self.lines[parity] - 1, self.lines[1 - parity]
        return (same + odd) / max(1, n_same + n_odd), same / max(1, n_same), odd / max(1, n_odd)


def _conversations(evidence: Sequence[Evidence], mentions: _Mentions, runs: Sequence[range]) -> list[_Talk]:
    """Each line's `_Talk`, for the conversations ``runs``."""
    out: list[_Talk] = []
    for run in runs:
        opening = evidence[run.start].paragraph
        lead = range(opening - CONVERSATION_LEAD, opening)
        before: Counter[str] = Counter(cid for q in lead for cid, _, _ in mentions.narration.get(q, ()))
        tags = [Counter(t.character for t in evidence[i].tags if t.kind == "explicit") for i in run]
        total: Counter[str] = sum(tags, Counter())
        so_far: Counter[str] = Counter()
        for line in tags:
            so_far = so_far + line
            out.append(_Talk(so_far, total - so_far, before))
    return out


def _scene_subjects(ctx: Context, mentions: _Mentions) -> dict[int, dict[str, float]]:
    """Scene index → how often the narration makes each character a subject in
    it, against its most frequent subject (computed once, not per candidate)."""
    scene_of = SpanIndex(ctx.doc.scenes)
    paragraphs = ctx.doc.paragraphs
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for p, rows in mentions.narration.items():
        here = counts[scene_of.find(paragraphs[p].start)]
        for cid, subject, _ in rows:
            here[cid] += subject
    return {
        scene: {cid: n / max(1, max(here.values(), default=1)) for cid, n in here.items()}
        for scene, here in counts.items()
    }


def _scene_context(
    ctx: Context, evidence: Sequence[Evidence]
) -> tuple[list[str | None], list[frozenset[str]]]:
    """Each utterance's scene voice and the characters its scene has mentioned
    before it. A scene break resets both: the last scene's speakers have left
    ("oOoOo" … "Then why do you drink it?" is not Sam's, who is not there)."""
    doc = ctx.doc
    scene_of = SpanIndex(doc.scenes)
    quotes = SpanIndex(doc.quotes)
    voice_votes: dict[int, Counter[str]] = defaultdict(Counter)
    for m in doc.mentions:
        word = doc.text[m.start : m.end].lower()
        if m.kind == "pronoun" and word in PERSONAL_VOICE and quotes.find(m.start) < 0:
            voice_votes[scene_of.find(m.start)][m.character] += 1
    voices: list[str | None] = []
    seen: list[frozenset[str]] = []
    mentions = doc.mentions
    k = 0
    scene = -2
    current: set[str] = set()
    for ev in evidence:
        start = doc.quotes[ev.quotes[0]].start
        here = ev.scene
        if here != scene:
            scene, current = here, set()
            opens = doc.scenes[here].start if here >= 0 else 0
            while k < len(mentions) and mentions[k].start < opens:
                k += 1
        while k < len(mentions) and mentions[k].start < start:
            current.add(mentions[k].character)
            k += 1
        votes = voice_votes.get(here)
        voices.append(votes.most_common(1)[0][0] if votes else None)
        seen.append(frozenset(current))
    return voices, seen


#: Narration pronouns of a scene's voice: its narrator's "I", its reader's "you".
PERSONAL_VOICE = FIRST_PERSON | SECOND_PERSON

#: How far along a chain of alternating lines an anchor is looked for.
ANCHOR_REACH = 8
#: The last features of `FEATURES` come from `_anchor_features`.
ANCHOR_FEATURES = 6


def _anchors(
    evidence: Sequence[Evidence], chosen: Sequence[Attribution | None]
) -> list[tuple[tuple[str, int] | None, tuple[str, int] | None]]:
    """For each utterance, the nearest line before and after it with a speech
    tag, along its chain of one-line paragraphs in a row (A, B, A, B …), as
    (speaker, distance in lines). In strict alternation a line at even distance
    from an anchor is the anchor's speaker's; at odd distance, the other's."""
    n = len(evidence)
    tagged = [c is not None and c.kind in ("explicit", "anaphoric") and c.speaker is not None for c in chosen]
    chain = [
        i > 0
        and evidence[i].paragraph - evidence[i - 1].paragraph == 1
        and evidence[i].scene == evidence[i - 1].scene
        for i in range(n)
    ]
    out: list[tuple[tuple[str, int] | None, tuple[str, int] | None]] = []
    for i in range(n):
        back = ahead = None
        j = i
        while j > 0 and chain[j] and i - j < ANCHOR_REACH:
            j -= 1
            if tagged[j]:
                back = (chosen[j].speaker, i - j)  # type: ignore[union-attr]
                break
        j = i
        while j + 1 < n and chain[j + 1] and j - i < ANCHOR_REACH:
            j += 1
            if tagged[j]:
                ahead = (chosen[j].speaker, j - i)  # type: ignore[union-attr]
                break
        out.append((back, ahead))  # type: ignore[arg-type]
    return out


def _anchor_features(
    anchors: tuple[tuple[str, int] | None, tuple[str, int] | None], names: Sequence[str]
) -> np.ndarray:
    back, ahead = anchors
    out = np.zeros((len(names), ANCHOR_FEATURES), dtype=np.float64)
    for k, cid in enumerate(names):
        for col, anchor in ((0, back), (2, ahead)):
            if anchor is not None and anchor[0] == cid:
                out[k, col + (anchor[1] % 2)] = 1.0
        out[k, 4] = back[1] if back else ANCHOR_REACH + 1
        out[k, 5] = ahead[1] if ahead else ANCHOR_REACH + 1
    return out


def _matrix(
    ctx: Context,
    evidence: Sequence[Evidence],
    chosen: Sequence[Attribution | None],
    speaker: Sequence[str | None],
    mentions: _Mentions,
    genders: dict[str, str],
    top: int,
    scene: _Scene,
    talk: _Talk,
    i: int,
    names: Sequence[str],
    turns: _Turns,
) -> np.ndarray:
    ev = evidence[i]
    p = ev.paragraph

    def said(j: int) -> str | None:
        """Who spoke line j, if it is in this line's scene: turns stop at a scene break."""
        return speaker[j] if 0 <= j < len(evidence) and evidence[j].scene == ev.scene else None

    prev = evidence[i - 1] if i >= 1 and evidence[i - 1].scene == ev.scene else None
    nxt = evidence[i + 1] if i + 1 < len(evidence) and evidence[i + 1].scene == ev.scene else None
    pick = chosen[i]
    tag_pron = ev.pronoun
    quote_start = ctx.doc.quotes[ev.quotes[0]].start
    here = mentions.narration.get(p, [])
    before_here = [(c, s) for c, s, off in here if off < quote_start]
    last_subject = None
    for q in range(p, p - 3, -1):
        rows = before_here if q == p else mentions.narration.get(q, [])
        subjects = [item[0] for item in rows if item[1]]
        if subjects:
            last_subject = subjects[-1]
            break
    quoted_here = set(mentions.quoted.get(p, ()))
    has_narration = float(any(ev.rows.get(k) for k in ("inside", "after", "before")))
    out = np.zeros((len(names), len(FEATURES) - ANCHOR_FEATURES), dtype=np.float64)
    for k, cid in enumerate(names):
        tags = {(t.position, t.kind) for t in ev.tags if t.character == cid}
        since = next(
            (
                d
                for d in range(0, WINDOW_BACK + 1)
                if any(m[0] == cid for m in mentions.narration.get(p - d, ()))
            ),
            WINDOW_BACK + 1,
        )
        ahead = next(
            (d for d in range(1, 4) if any(m[0] == cid for m in mentions.narration.get(p + d, ()))),
            4,
        )
        window = sum(
            1 for d in range(WINDOW_BACK + 1) for m in mentions.narration.get(p - d, ()) if m[0] == cid
        )
        g = genders.get(cid)
        row: list[Any] = [
            ("inside", "explicit") in tags,
            ("inside", "anaphoric") in tags,
            ("after", "explicit") in tags,
            ("after", "anaphoric") in tags,
            ("before", "explicit") in tags,
            ("before", "anaphoric") in tags,
            any(pos == "intro" for pos, _ in tags),
            ev.lead == cid,
            any(t.character != cid for t in ev.tags),
            pick is not None and pick.speaker == cid,
            pick is not None and pick.speaker == cid and pick.kind == "implicit",
            ev.actor == cid,
            cid in ev.vocatives,
            prev is not None and cid in prev.vocatives,
            said(i - 1) == cid,
            said(i - 2) == cid,
            said(i - 3) == cid,
            # The next line's speaker: likely this one's within a paragraph,
            # the other side of the conversation in the next one.
            said(i + 1) == cid and nxt is not None and nxt.paragraph == p,
            said(i + 1) == cid and nxt is not None and nxt.paragraph != p,
            prev is not None and prev.paragraph == p,
            min(p - prev.paragraph, 10) if prev is not None else 10,
            sum(1 for m in here if m[0] == cid),
            sum(1 for m in here if m[0] == cid and m[1]),
            sum(1 for m in mentions.narration.get(p - 1, ()) if m[0] == cid),
            sum(1 for m in mentions.narration.get(p - 1, ()) if m[0] == cid and m[1]),
            since,
            ahead,
            window,
            cid in quoted_here and cid not in ev.vocatives,
            math.log1p(mentions.total[cid]) / math.log1p(top),
            cid == scene.voice,
            0 if tag_pron is None or g is None else (1 if g == tag_pron else -1),
            prev is not None and (before := chosen[i - 1]) is not None and cid in before.addressees,
            len(names),
            cid == last_subject,
            has_narration,
            cid in scene.seen,
            # "Yes, Emma.": the next line's call names who spoke this one.
            nxt is not None and nxt.paragraph == p + 1 and cid in nxt.vocatives,
            talk.tagged_so_far[cid],
            talk.tagged_later[cid],
            talk.named_before[cid],
            # Who speaks the rest of the conversation (the answers so far):
            # its lines are its participants', however far back or ahead.
            *turns.shares(cid, speaker[i], p % 2),
            scene.subjects.get(cid, 0.0),
        ]
        out[k] = [float(v) for v in row]
    return out

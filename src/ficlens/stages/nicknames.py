"""Nicknames known only by being called: "Kacchan", "Padfoot", "Cap".

Fan fiction calls its characters by pet names and fandom nicknames that no
table lists and the narration may never use. Such a name is found as a
character of its own, one who is called but never speaks. Once the speakers
are known, the turns show who it is, as they show a reader: the one who
answers when it is called ("Kacchan, wait!" ¶ "What?" Bakugou snapped), or
who spoke the line it answers. When one character does nearly all of that
answering, the nickname is theirs, and its character joins them: its
mentions, its aliases, and the lines addressed to it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np

from ficlens.model import Document
from ficlens.spans import HasSpan, SpanIndex
from ficlens.stages.base import Stage
from ficlens.stages.characters import NARRATOR_ID, NARRATOR_NAME

#: A nickname is called this many times at least, answered at least `MIN_ANSWERS`
#: times by one character, who gives this share of all its answers; and this
#: share of its mentions are calls.
MIN_CALLS = 3
MIN_ANSWERS = 2
MIN_SHARE = 2 / 3
#: Paragraphs between a call and the answer, at most.
TURN_GAP = 2
#: How often others must call a name the narration never uses before it is
#: taken for an unnamed first-person narrator's.
NARRATOR_CALLS = 2


@dataclass(frozen=True, slots=True)
class NicknamePrediction:
    #: Nickname character id → the character it names.
    merges: dict[str, str]


def find_nicknames(doc: Document) -> dict[str, str]:
    """Characters who never speak and are only ever called by a one-word name,
    mapped to whoever answers when they are called."""
    text = doc.text
    spoke = {q.speaker for q in doc.quotes if q.speaker}
    names = [m for m in doc.mentions if m.kind == "name"]
    name_of = {c.id: c for c in doc.characters}
    one_word = {cid for cid, c in name_of.items() if all(len(a.split()) == 1 for a in c.aliases)}
    single = one_word - spoke
    if not one_word:
        return {}
    quotes = SpanIndex(doc.quotes)
    paragraph_of = SpanIndex(doc.paragraphs)
    scene_of = SpanIndex(doc.scenes)
    # One entry per utterance, in order: (speaker, paragraph, scene).
    lines: list[tuple[str | None, int, int]] = []
    line_of: dict[str, int] = {}
    for q in doc.quotes:
        if q.utterance not in line_of:
            line_of[q.utterance] = len(lines)
            lines.append((q.speaker, paragraph_of.find(q.start), scene_of.find(q.start)))
    answers: defaultdict[str, Counter[str]] = defaultdict(Counter)
    mentioned: Counter[str] = Counter()  # name mentions of each candidate nickname
    called: Counter[str] = Counter()  # ... of which calls
    called_by_others: Counter[str] = Counter()  # ... in lines the narrator does not speak
    narrated: defaultdict[str, list[int]] = defaultdict(list)  # where the narration names each one
    for m in names:
        k = quotes.find(m.start)
        if k < 0:
            mentioned[m.character] += 1
            narrated[m.character].append(m.start)
            continue
        if m.character not in one_word:
            continue
        mentioned[m.character] += 1
        if not _calls(text, quotes.spans[k], m):
            continue
        called[m.character] += 1
        i = line_of[quotes.spans[k].utterance]
        caller, paragraph, scene = lines[i]
        if caller is not None and caller != NARRATOR_ID:
            called_by_others[m.character] += 1
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines):
                who, other, where = lines[j]
                if (
                    who
                    and who not in (caller, m.character)
                    and where == scene
                    and abs(other - paragraph) <= TURN_GAP
                ):
                    answers[m.character][who] += 1
    merges: dict[str, str] = {}
    if NARRATOR_ID in name_of:  # an unnamed narrator, whom no rule named
        # A first-person narrator's own name is one the narration never uses:
        # others call them by it ("Time is a construct, Rogers." / "Steve."),
        # and the lines the ranker gave it when it answered are the narrator's;
        # someone who speaks more lines than they are called is someone else
        # (a voice on the phone). The most called such name comes first: it
        # names the narrator.
        lines_of = Counter(who for who, _, _ in lines)
        for nick in sorted(one_word, key=lambda c: (-called_by_others[c], c)):
            if (
                nick != NARRATOR_ID
                and not narrated[nick]
                and called_by_others[nick] >= NARRATOR_CALLS
                and lines_of[nick] < called_by_others[nick]
            ):
                merges[nick] = NARRATOR_ID
    for nick, votes in answers.items():
        if nick in merges or nick not in single:
            continue
        # A word the text also writes in lower case ("Fudge!", "fudge") is no nickname.
        if any(re.search(rf"(?<!\w){re.escape(a.lower())}(?!\w)", text) for a in name_of[nick].aliases):
            continue
        (owner, n), total = votes.most_common(1)[0], sum(votes.values())
        if (
            called[nick] >= MIN_CALLS
            and n >= MIN_ANSWERS
            and n >= MIN_SHARE * total
            and called[nick] >= MIN_SHARE * mentioned[nick]
            # Two names in one sentence of the narration are two people.
            and not _sentences(doc, narrated[nick]) & _sentences(doc, narrated[owner])
        ):
            merges[nick] = owner
    return merges


def _sentences(doc: Document, starts: list[int]) -> set[int]:
    """The sentence numbers of the tokens at these offsets."""
    if doc.tokens is None or not starts:
        return set()
    rows = np.minimum(np.searchsorted(doc.tokens.start, starts), len(doc.tokens) - 1)
    return set(doc.tokens.sentence[rows].tolist())


_CALL_END = frozenset(("", ".", "!", "?", "…", "?!", "!?"))


def _calls(text: str, quote: HasSpan, name: HasSpan) -> bool:
    """Whether a name is plainly called, not spoken of: it opens the line
    before a comma or a stop ("Kacchan, wait", "Kacchan?"), or ends it after a
    comma ("Wait, Kacchan!"), or a sentence of it ("Go to bed, Steve. I mean
    it."), or is a sentence of its own ("Okay. Kacchan?")."""
    before = text[quote.start : name.start].rstrip()
    after = text[name.end : quote.end].strip()
    if not before:
        return after[:1] in (",", "!", "?", "—", "…") or after in _CALL_END
    return (after in _CALL_END or after[:1] in ".!?…") and before.endswith((",", ".", "!", "?"))


class NicknameStage(Stage[NicknamePrediction]):
    name = "nicknames"
    requires: ClassVar[tuple[str, ...]] = ("quotes", "characters", "mentions")
    provides: ClassVar[tuple[str, ...]] = ("quotes", "characters", "mentions")

    def predict(self, doc: Document) -> NicknamePrediction:
        return NicknamePrediction(find_nicknames(doc))

    def annotate(self, doc: Document, prediction: NicknamePrediction) -> Document:
        merges = prediction.merges
        if not merges:
            return doc
        joined: defaultdict[str, list[str]] = defaultdict(list)
        extra: Counter[str] = Counter()
        spoken: Counter[str] = Counter()
        for c in doc.characters:
            if c.id in merges:
                joined[merges[c.id]].extend(c.aliases)
                extra[merges[c.id]] += c.mentions
                spoken[merges[c.id]] += c.quotes
        by_id = {c.id: c for c in doc.characters}
        # The narrator takes the name others call them by.
        named: dict[str, str] = {}
        for nick, owner in merges.items():
            if by_id[owner].name == NARRATOR_NAME:
                named.setdefault(owner, by_id[nick].name)
        characters = tuple(
            replace(
                c,
                name=named.get(c.id, c.name),
                aliases=(*c.aliases, *joined[c.id]),
                mentions=c.mentions + extra[c.id],
                quotes=c.quotes + spoken[c.id],
            )
            for c in doc.characters
            if c.id not in merges
        )
        mentions = tuple(replace(m, character=merges.get(m.character, m.character)) for m in doc.mentions)
        quotes = tuple(
            replace(
                q,
                speaker=merges.get(q.speaker, q.speaker) if q.speaker else None,
                addressees=tuple(dict.fromkeys(merges.get(a, a) for a in q.addressees)),
            )
            for q in doc.quotes
        )
        return doc.with_(characters=characters, mentions=mentions, quotes=quotes)

"""Pronouns inside dialogue: "I" is the speaker, "you" the one spoken to.

Runs after the speakers are known. A first-person pronoun inside a quote
refers to the quote's speaker, and a second-person one to its (first)
addressee; "we" and a plural "you" are left alone. These mentions are added
to ``mentions``; they do not change a character's pronoun distribution,
which records the third-person pronouns the narration uses for them.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import replace
from typing import ClassVar

from ficlens.model import Document, Mention
from ficlens.stages.base import Stage
from ficlens.stages.coref import FIRST_PERSON

SECOND_PERSON_SINGULAR = frozenset(("you", "your", "yours", "yourself"))


def dialogue_mentions(doc: Document) -> list[Mention]:
    if doc.tokens is None:
        return []
    starts = doc.tokens.start.tolist()
    out: list[Mention] = []
    for q in doc.quotes:
        speaker = q.speaker
        if speaker is None:
            continue
        lo, hi = bisect.bisect_left(starts, q.start), bisect.bisect_left(starts, q.end)
        for row in range(lo, hi):
            word = doc.tokens.words[row].lower()
            if word in FIRST_PERSON:
                who = speaker
            elif word in SECOND_PERSON_SINGULAR and q.addressees:
                who = q.addressees[0]
            else:
                continue
            out.append(Mention(starts[row], int(doc.tokens.end[row]), who, "pronoun"))
    return out


class DialogueCorefStage(Stage[list[Mention]]):
    name = "dialogue_coref"
    requires: ClassVar[tuple[str, ...]] = ("tokens", "quotes", "mentions", "characters")
    provides: ClassVar[tuple[str, ...]] = ("mentions", "characters")

    def predict(self, doc: Document) -> list[Mention]:
        return dialogue_mentions(doc)

    def annotate(self, doc: Document, prediction: list[Mention]) -> Document:
        mentions = tuple(sorted((*doc.mentions, *prediction), key=lambda m: (m.start, m.end)))
        counts = Counter(m.character for m in mentions)
        characters = tuple(replace(c, mentions=counts[c.id]) for c in doc.characters)
        return doc.with_(mentions=mentions, characters=characters)

"""Definite descriptions of named characters: "the vampire", "the older man".

Fan fiction calls its leads by epithets as often as by name ("the blonde",
"the vampire"), so these are mentions a reader resolves without effort. Only
confident links are made, as a reader would make them:

1. **Apposition** names the character outright: "Spike, the vampire," or
   "the vampire Spike". The head noun ("vampire") becomes that character's
   epithet for the whole work, unless the text also gives it to someone else.
2. **A gendered noun** ("the man", "the girl") with exactly one character
   in sight who may have that gender (whose pronouns are that set, or not
   yet known): named or referred to in this paragraph or the one before, and
   not the subject of the description's own clause ("Spike looked at the
   man": not Spike). An indefinite "a man" since then introduces
   someone new, and the description is left alone.
3. **A learned epithet** ("the vampire", learned by 1.) links to its
   character wherever that character is in sight.

Descriptions that are themselves a character's name ("the Hatter", "said the
policeman" as a speaker) are already name mentions and are not touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ficlens.model import Document, Mention
from ficlens.resources import lexicon
from ficlens.spans import SpanIndex
from ficlens.stages.characters import GENDERED_NOUNS, description_rows
from ficlens.stages.coref import TokenIndex, clause_subject

PERSON_NOUNS = lexicon("person_nouns") | frozenset(GENDERED_NOUNS)
_INDEFINITE = frozenset(("a", "an", "another", "some"))
#: Paragraphs a description looks back over for its character.
REACH = 1


def _heads(index: TokenIndex) -> list[tuple[int, int, str]]:
    """(row of "the", row of the noun, noun) for each singular person-noun
    description in the narration."""
    tokens = index.tokens
    out = []
    for row, word in enumerate(tokens.words):
        noun = word.lower()
        if (
            noun in PERSON_NOUNS
            and tokens.pos[row] == "NOUN"
            and tokens.tags[row] == "NN"
            and not index.quoted[row]
            and index.character[row] is None
            and (rows := description_rows(tokens, row)) is not None
        ):
            out.append((rows[0], row, noun))
    return out


def _appositions(index: TokenIndex, heads: Sequence[tuple[int, int, str]]) -> dict[str, set[str]]:
    """Noun → the characters apposition gives it to ("Spike, the vampire")."""
    tokens = index.tokens
    out: dict[str, set[str]] = defaultdict(set)
    for _, noun, word in heads:
        head = int(tokens.head[noun])
        named = None
        if tokens.deps[noun] == "appos":
            named = index.character[head]
        if named is None:
            for child in index.children.get(noun, ()):
                if tokens.deps[child] in ("appos", "compound") and index.character[child] is not None:
                    named = index.character[child]
        if named is not None:
            out[word].add(named)
    return out


def resolve_descriptions(
    doc: Document, index: TokenIndex, genders: dict[str, str | None], mentions: Sequence[Mention]
) -> list[Mention]:
    """Nominal mentions of named characters (see the module docstring)."""
    tokens = index.tokens
    heads = _heads(index)
    given = _appositions(index, heads)
    epithets = {word: next(iter(owners)) for word, owners in given.items() if len(owners) == 1}
    taken = SpanIndex(list(mentions))
    # Characters in sight, per paragraph: everyone named or referred to there.
    present: dict[int, set[str]] = defaultdict(set)
    by_start = {m.start: m.character for m in mentions}
    at_row: dict[int, str] = {}
    for row, start in enumerate(tokens.start.tolist()):
        cid = by_start.get(start)
        if cid is not None:
            at_row[row] = cid
            present[int(tokens.paragraph[row])].add(cid)
    introduced: dict[int, set[str]] = defaultdict(set)  # paragraph → nouns met as "a man"
    for row, word in enumerate(tokens.words):
        if word.lower() in _INDEFINITE and row + 1 < len(tokens):
            introduced[int(tokens.paragraph[row])].add(tokens.words[int(tokens.head[row])].lower())
    out: list[Mention] = []
    for the, noun, word in heads:
        start, end = int(tokens.start[the]), int(tokens.end[noun])
        if start in taken or (end - 1) in taken:
            continue
        para = int(tokens.paragraph[noun])
        window = range(para - REACH, para + 1)
        if any(word in introduced[p] for p in window):
            continue  # "a man came in … the man": someone new
        in_sight = set().union(*(present[p] for p in window))
        in_sight.discard(clause_subject(index, noun, at_row))
        chosen = None
        if word in epithets and epithets[word] in in_sight:
            chosen = epithets[word]
        elif word in GENDERED_NOUNS:
            fits = [c for c in in_sight if genders.get(c) in (GENDERED_NOUNS[word], None)]
            chosen = fits[0] if len(fits) == 1 else None
        if chosen is not None:
            out.append(Mention(start, end, chosen, "nominal"))
    return out

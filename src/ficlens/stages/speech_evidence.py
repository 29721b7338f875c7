"""The evidence for who speaks a quote, gathered once per document.

Everything a reader would look at around a line of dialogue: the speech
tags beside it (a speech verb and its subject, in the narration inside,
after or before the quote, or introducing it from the previous paragraph),
the actor of the surrounding narration, and the characters named inside the
quote. The sieve and the learned ranker in `ficlens.stages.speakers` both
decide from this, so it is computed in one place.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from ficlens.model import Document, Mention, Quote, QuoteKind, TokenTable
from ficlens.resources import lexicon
from ficlens.spans import SpanIndex
from ficlens.stages.characters import GENDERED_NOUNS, READER_ID, owned_after
from ficlens.stages.coref import (
    BODY_NOUNS,
    FIRST_PERSON,
    PRONOUN_SETS,
    SUBJECT_DEPS,
    TokenIndex,
    called_in_quote,
    subject_like,
)
from ficlens.stages.kin import KIN_TITLES, PARENTS, Kin
from ficlens.stages.quote_features import SPEECH_FORMS, SPEECH_VERBS
from ficlens.stages.quotes import chat_lines

#: Verbs that tag speech in fan fiction ("Hi," she smiled) but only when nothing better is near.
WEAK_SPEECH_VERBS = lexicon("weak_speech_verbs")
VOICE_NOUNS = lexicon("voice_nouns")
_ANY_SPEECH = SPEECH_VERBS | WEAK_SPEECH_VERBS
_SUBJECT_PRONOUNS = frozenset(("he", "she", "i", "you", "they"))
#: Where a speech tag stands relative to its quote, in the order a reader checks.
POSITIONS = ("inside", "after", "before", "intro")


class Context:
    """What the sieve consults, computed once per document."""

    def __init__(self, doc: Document) -> None:
        assert doc.tokens is not None
        self.doc = doc
        self.tokens = doc.tokens
        self.index = TokenIndex(doc, doc.tokens)
        # Pronouns and descriptions ("the girl") the coreference stage resolved.
        resolved_spans = SpanIndex([m for m in doc.mentions if m.kind in ("pronoun", "nominal")])
        self.resolved: dict[int, str] = {}
        for row, start in enumerate(self.tokens.start.tolist()):
            k = resolved_spans.find(start)
            if k >= 0:
                self.resolved[row] = resolved_spans.spans[k].character
        self.names = SpanIndex([m for m in doc.mentions if m.kind == "name"])
        self.rows_by_paragraph: dict[int, list[int]] = defaultdict(list)
        for row, p in enumerate(self.tokens.paragraph.tolist()):
            self.rows_by_paragraph[p].append(row)
        self.genders = character_genders(doc)
        self.kin = Kin(doc, self.genders)

    def owner(self, row: int) -> bool:
        """Whether the one named at ``row`` is owner of the person after it ("my
        brother's wife", "Robert's friend"), who speaks, not they; not so of a
        voice or a speech ("Emma's conclusion" is Emma's)."""
        cid = self.index.character[row]
        end = row
        while cid is not None and end + 1 < len(self.tokens) and self.index.character[end + 1] == cid:
            end += 1
        if not owned_after(self.tokens, end):
            return False
        head = end + 2
        while head < len(self.tokens) and self.tokens.pos[head] == "ADJ":
            head += 1
        return head < len(self.tokens) and (
            self._person_noun(head) or self.tokens.words[head].lower() in _OWNED_PEOPLE
        )

    def character_at(self, row: int) -> str | None:
        return self.index.character[row] or self.resolved.get(row)

    def speaker_of_verb(self, verb: int) -> tuple[str | None, QuoteKind | None]:
        """(character, kind) for the subject of a speech verb."""
        subj = self.tag_subject(verb)
        if subj is None:
            return None, None
        if self.index.character[subj] is not None:
            return self.index.character[subj], "explicit"
        if self.tokens.pos[subj] == "PRON" or subj in self.resolved:
            return self.resolved.get(subj), "anaphoric"
        if self.tokens.lemmas[subj].lower() in VOICE_NOUNS:
            for child in self.index.children.get(subj, ()):
                # "Spike's voice said", "said the voice of Mr. Haq".
                rows = [child] if self.tokens.deps[child] == "poss" else []
                if self.tokens.deps[child] == "prep" and self.tokens.words[child].lower() == "of":
                    rows = [g for g in self.index.children.get(child, ()) if self.tokens.deps[g] == "pobj"]
                for row in rows:
                    cid = self.character_at(row)
                    if cid:
                        return cid, "explicit" if self.index.character[row] else "anaphoric"
        # "said her mother", "his wife said": the owner's relative of that name.
        if (relation := KIN_TITLES.get(self.tokens.lemmas[subj].lower())) is not None:
            for child in self.index.children.get(subj, ()):
                if self.tokens.deps[child] == "poss" and (owner := self.character_at(child)):
                    relative = self.kin.relative(owner, relation)
                    if relative is not None:
                        return relative, "explicit" if self.index.character[child] else "anaphoric"
        # "the vampire said": a compound or modifier naming a character ("Spike's friend").
        for child in self.index.children.get(subj, ()):
            if self.index.character[child] is not None and self.tokens.deps[child] in ("compound", "appos"):
                return self.index.character[child], "explicit"
        return None, None

    def tag_subject(self, verb: int) -> int | None:
        """The row of a speech verb's subject, in either order ("she said", "said she")."""
        for find in (
            self._narration_subject,
            self._inverted_subject,
            self._name_before,
            self._stranded_subject,
            # Before a clause the parser hung under the verb: "Edmund, who was
            # holding open the door, said," is not "she was happy; for … said".
            self._set_off_subject,
            self._misparsed_subject,
        ):
            subj = find(verb)
            if subj is not None:
                return subj
        return None

    def _misparsed_subject(self, verb: int) -> int | None:
        """ "Henry, overjoyed to have her go, bowed …, and, taking out some letters,
        said,": a long sentence the parser broke, hanging its subject's first verb
        under the speech verb as a clause of its own; that clause's subject, a
        character, is the speaker."""
        for child in self.index.children.get(verb, ()):
            if child < verb and self.tokens.deps[child] == "ccomp" and self.index.quote[child] < 0:
                subj = self.index.subject_of(child)
                if subj is not None and self.index.quote[subj] < 0 and self.character_at(subj) is not None:
                    return subj
        return None

    def _set_off_subject(self, verb: int) -> int | None:
        """ "At last the Mouse, who seemed to be a person of authority, called
        out,": a clause set off by commas, and the parser lost the speech verb's
        subject (hanging the verb on the name as a participle, or on nothing).
        The name the clause describes is the subject. Not "a girl called Anne",
        with no comma before the verb."""
        if self.tokens.words[verb - 1] != "," or self.index.subject_of(verb) is not None:
            return None
        head = int(self.tokens.head[verb])
        if self.tokens.deps[verb] == "acl" and head < verb and self.index.quote[head] < 0:
            return head if self.character_at(head) is not None else None
        sentence = self.tokens.sentence[verb]
        row = verb - 2
        while row >= 2 and self.tokens.sentence[row] == sentence and self.index.quote[row] < 0:
            if self.tokens.words[row].lower() == "who" and self.tokens.words[row - 1] == ",":
                named = row - 2
                return named if self.index.quote[named] < 0 and self.character_at(named) is not None else None
            if self.index.character[row] is not None or self.tokens.deps[row] in SUBJECT_DEPS:
                return None  # "John, who was tired, left, and Mary, smiling, said,": not John
            row -= 1
        return None

    def _stranded_subject(self, verb: int) -> int | None:
        """ "when Sir Thomas soon afterwards, just opening the door, said,": the
        parser gave the subject to the participle between; take the nearest
        subject before the verb in its sentence, across no finite verb."""
        row = verb - 1
        while (
            row >= 0 and self.tokens.sentence[row] == self.tokens.sentence[verb] and self.index.quote[row] < 0
        ):
            if self.tokens.deps[row] in SUBJECT_DEPS:
                return row if self.character_at(row) is not None else None
            if self.tokens.tags[row] in _FINITE or self.tokens.tags[row] == "MD":
                return None
            if _opens_clause(self.tokens.words, row):
                # "said Mary, and Katharine, after a moment, said": the clause's own
                # first word, which the parser joined to the name before.
                opener = row + 1
                return opener if opener < verb and self.character_at(opener) is not None else None
            row -= 1
        return None

    def _name_before(self, verb: int) -> int | None:
        """ "…, Dolly said, "…": a name right before the verb that the parser
        took for something else (an adverb, a compound) is its subject."""
        row = verb - 1
        if row >= 0 and self.tokens.pos[row] == "ADV" and self.index.character[row] is None:
            row -= 1  # "Dolly quickly said"
        if row < 0 or self.index.quote[row] >= 0 or self.index.character[row] is None:
            return None
        return row if self.tokens.sentence[row] == self.tokens.sentence[verb] else None

    def _narration_subject(self, verb: int) -> int | None:
        """The verb's subject in the narration, climbing coordinated and
        controlled verbs ("Sir Thomas was looking round, and saying", "she
        ventured to say"); a subject inside a quotation is the quote's, not
        the tag's ("My father is come," added Charlotte)."""
        for _ in range(3):
            subj = self.index.subject_of(verb)
            if subj is not None and self.tokens.tags[subj] == "WP" and self.tokens.deps[verb] == "relcl":
                subj = int(self.tokens.head[verb])  # "with Dan, who said,": the one "who" stands for
            if subj is not None and self.tokens.words[subj].lower() == "it":
                # "it was Julia, who, out of breath, … cried out": a cleft, whose
                # "it" the parser made the subject of the speech verb too.
                for attr in self.index.children.get(int(self.tokens.head[subj]), ()):
                    if self.tokens.deps[attr] == "attr" and self.index.character[attr] is not None:
                        return attr
            if subj is not None and _spoken_to(self.tokens, subj):
                return None
            if subj is not None:
                return subj if self.index.quote[subj] < 0 else None
            if self.tokens.deps[verb] not in ("conj", "xcomp", "advcl"):
                return None
            verb = int(self.tokens.head[verb])
        return None

    def _inverted_subject(self, verb: int) -> int | None:
        """ "said Lucy", "continued Harriet", "said he": the parser often misses an
        inverted subject, so take a character or pronoun right after the verb."""
        reach = verb + 4
        row = verb
        while (row := row + 1) < min(reach, len(self.tokens)):
            if self.index.quote[row] >= 0 or self.tokens.sentence[row] != self.tokens.sentence[verb]:
                return None
            # "said my brother's wife", "said Robert's wife": the owner is not the speaker.
            if self.tokens.tags[row] == "POS" or self.owner(row):
                reach += 1
                continue
            # "exclaimed the voice of old Mr. Emerson": the voice's owner speaks.
            if (
                self.tokens.lemmas[row].lower() in VOICE_NOUNS
                and row + 1 < len(self.tokens)
                and self.tokens.words[row + 1].lower() == "of"
            ):
                row += 1
                reach += 3
                continue
            if (
                self.index.character[row] is not None
                or (self.tokens.pos[row] == "PRON" and self.tokens.words[row].lower() in _SUBJECT_PRONOUNS)
                # "said the boy", "cried her mother": a person noun, resolved or not.
                or (self.tokens.pos[row] == "NOUN" and (row in self.resolved or self._person_noun(row)))
            ):
                return row
            # "said Lucy", "said poor Oliver", "said dour Major Callendar", "replied his wife"
            if self.tokens.pos[row] not in ("PROPN", "ADV", "DET", "ADJ") and self.tokens.tags[row] != "PRP$":
                return None
        return None

    def _person_noun(self, row: int) -> bool:
        word = self.tokens.words[row].lower()
        return word in GENDERED_NOUNS or word in KIN_TITLES

    def addressee_of_verb(self, verb: int) -> str | None:
        """Who a speech verb is aimed at: "said to Buffy", "asked Giles", or,
        failing that, whom its participle turns to ("she asks, passing a mug to
        Angel", "he said, glancing at Mr. Darcy"). A pronoun ("I tell her")
        names no one here: the turns say better who "her" is, the one spoken with;
        but the reader of a second-person work is "you" ("he tells you")."""
        children = self.index.children.get(verb, ())
        objects = [c for c in children if self.tokens.deps[c] in ("dobj", "dative")]
        for prep in children:
            if self.tokens.words[prep].lower() in ("to", "at"):
                objects += self.index.children.get(prep, ())
        personal = [o for o in objects if self.tokens.words[o].lower() in _PERSONAL_OBJECTS]
        if personal:
            # "he tells you" in a second-person work: "you" is the reader, whoever speaks.
            you = self.character_at(personal[0]) if self.tokens.words[personal[0]].lower() == "you" else None
            return you if you == READER_ID else None
        for child in children:
            if (cid := self._aimed_at(child)) is not None:
                return cid
            if self.tokens.deps[child] in ("dobj", "dative") and self.tokens.lemmas[verb] in (
                "tell",
                "ask",
                "answer",
            ):
                cid = self.character_at(child)
                if cid:
                    return cid
        for clause in children:
            if self.tokens.deps[clause] in ("advcl", "xcomp", "conj") and self.tokens.tags[clause] == "VBG":
                for child in self.index.children.get(clause, ()):
                    if (cid := self._aimed_at(child)) is not None:
                        return cid
        return None

    def _aimed_at(self, prep: int) -> str | None:
        """The character of "to X" / "at X", when ``prep`` is that preposition."""
        if self.tokens.words[prep].lower() in ("to", "at") and self.tokens.deps[prep] == "prep":
            for obj in self.index.children.get(prep, ()):
                if cid := self.character_at(obj):
                    return cid
        return None


def character_genders(doc: Document) -> dict[str, str]:
    """Each character's pronoun set, when coreference gave it at least 60% of their pronouns."""
    return {c.id: best[0] for c in doc.characters if (best := c.main_pronoun) and best[1] >= 0.6}


def utterances_of(quotes: Sequence[Quote]) -> list[list[int]]:
    """Indices of the quotes of each utterance, in text order."""
    groups: dict[str, list[int]] = {}
    for k, q in enumerate(quotes):
        groups.setdefault(q.utterance, []).append(k)
    return sorted(groups.values(), key=lambda g: g[0])


def narration_rows(ctx: Context, paragraph: int, lo: int, hi: int) -> list[int]:
    """Narration token rows of a paragraph whose offsets lie in [lo, hi)."""
    return [
        r
        for r in ctx.rows_by_paragraph.get(paragraph, ())
        if ctx.index.quote[r] < 0 and lo <= ctx.tokens.start[r] < hi
    ]


def speech_tag(
    ctx: Context, rows: Sequence[int], strong_only: bool
) -> tuple[str | None, QuoteKind | None, int | None]:
    """The speaker named by a speech tag among ``rows``: (character, kind, verb row)."""
    for weak in (False, True):
        if weak and strong_only:
            break
        for r in rows:
            lemma = ctx.tokens.lemmas[r].lower()
            if ctx.tokens.pos[r] not in ("VERB", "AUX"):
                # Present-tense tags ("Spike mutters") are often tagged as plural
                # nouns by the small model: take the word beside the name instead.
                if not weak and (found := _noun_tagged_tag(ctx, r)) is not None:
                    return found
                continue
            if lemma in (WEAK_SPEECH_VERBS if weak else SPEECH_VERBS):
                cid, kind = ctx.speaker_of_verb(r)
                if cid is not None:
                    return cid, kind, r
            if not weak and ctx.tokens.lemmas[r].lower() in VOICE_NOUNS:
                continue
        # "Spike's voice was soft", "was his answer", "was Mr. Woodhouse's first
        # exclamation": a voice noun, subject or complement, with a possessive character.
        for r in rows:
            if ctx.tokens.lemmas[r].lower() in VOICE_NOUNS and ctx.tokens.deps[r] in _VOICE_DEPS:
                for child in ctx.index.children.get(r, ()):
                    if ctx.tokens.deps[child] == "poss" and ctx.character_at(child):
                        kind = "explicit" if ctx.index.character[child] else "anaphoric"
                        return ctx.character_at(child), kind, None
    return None, None, None


def _noun_tagged_tag(ctx: Context, r: int) -> tuple[str | None, QuoteKind | None, int | None] | None:
    """ "Spike mutters" parsed as a noun phrase: a speech verb form right after a
    character's name or a subject pronoun."""
    if (
        r == 0
        or ctx.tokens.words[r].lower() not in SPEECH_FORMS
        or ctx.tokens.sentence[r - 1] != ctx.tokens.sentence[r]
    ):
        return None
    named = ctx.index.character[r - 1]
    if named is not None:
        return named, "explicit", None
    if ctx.tokens.words[r - 1].lower() in _SUBJECT_PRONOUNS and ctx.resolved.get(r - 1):
        return ctx.resolved[r - 1], "anaphoric", None
    return None


#: People named by their tie to someone ("Robert's friend"), besides kin.
_OWNED_PEOPLE = lexicon("person_nouns") | {"friend", "cousin", "companion", "servant", "maid"}
#: Pronouns a speech verb speaks to ("I tell her", "she said to him").
_PERSONAL_OBJECTS = frozenset(("him", "her", "them", "me", "us", "you"))
#: A voice noun tags speech as the subject or the complement of its clause.
_VOICE_DEPS = SUBJECT_DEPS | {"attr"}
#: Particles of phrasal speech verbs that stand between verb and subject ("put in Freddy").
_TAG_PARTICLES = frozenset(("in", "out", "up", "forth", "back", "on", "off"))
#: Finite verb tags: a speech tag's verb is past or present, never a participle.
_FINITE = frozenset(("VBD", "VBZ", "VBP"))
#: How a quote ends when a tag follows in the same sentence ("…," or "…—").
_CONTINUED = (",", "—", "–", "-")


def _words(ctx: Context, rows: Sequence[int]) -> list[int]:
    """The rows that are not punctuation (a quotation mark is narration's first row)."""
    return [r for r in rows if ctx.tokens.pos[r] != "PUNCT"]


def adjacent_tag(
    ctx: Context, rows: Sequence[int], quote_end: str
) -> tuple[str | None, QuoteKind | None, int | None]:
    """A speech tag of any verb, known by its place right after the quote.

    An inverted verb and subject after a quote ("…!" chattered Ronny, "…,"
    put in Freddy, "…," said he) is a tag whatever the verb; so is a name or
    pronoun with a finite verb after a quote that ends in a comma ("…,"
    Fanny sighed), where the sentence must go on with its tag. This catches
    the many speech verbs no list holds.
    """
    tokens = ctx.tokens
    rows = _words(ctx, rows)  # not the closing mark, nor a comma
    if not rows:
        return None, None, None
    first = rows[0]
    sentence = tokens.sentence[first]
    # '"…," put in Freddy': a past tense that is also a participle, which the
    # parser often reads as one, is a tag here all the same.
    participle = tokens.tags[first] == "VBN" and quote_end in _CONTINUED
    if tokens.pos[first] in ("VERB", "AUX") and (tokens.tags[first] in _FINITE or participle):
        for r in rows[1:4]:
            if tokens.sentence[r] != sentence:
                break
            cid = ctx.index.character[r]
            if cid is not None:
                if ctx.owner(r):
                    break
                return cid, "explicit", first
            if tokens.pos[r] == "PRON" and tokens.words[r].lower() in _SUBJECT_PRONOUNS:
                return ctx.resolved.get(r), "anaphoric", first
            # "cried the scandalised Margaret": an article and adjectives may come between.
            if (
                tokens.words[r].lower() not in _TAG_PARTICLES
                and tokens.pos[r] not in ("ADV", "DET")
                and tokens.deps[r] != "amod"
            ):
                break
        return None, None, None
    # A quote that trails off ("…", "...") and goes on in lower case ('"I didn't
    # expect…" he stopped') is a sentence with its tag, as one ending in a comma
    # is. Not so after "?" or "!": '"…come round?" she felt a degree of astonishment'.
    if quote_end not in _CONTINUED and not (quote_end in "…." and tokens.words[first].islower()):
        return None, None, None
    cid = ctx.index.character[first]
    end = first
    while end + 1 < len(tokens) and cid is not None and ctx.index.character[end + 1] == cid:
        end += 1
    pronoun = tokens.pos[first] == "PRON" and tokens.words[first].lower() in _SUBJECT_PRONOUNS
    verb = end + 1
    if (
        (cid is not None or pronoun)
        and verb < len(tokens)
        and tokens.sentence[verb] == sentence
        and tokens.pos[verb] in ("VERB", "AUX")
        and tokens.tags[verb] in _FINITE
    ):
        if cid is not None:
            return cid, "explicit", verb
        return ctx.resolved.get(first), "anaphoric", verb
    return None, None, None


def tag_pronoun(
    ctx: Context, tags: Sequence[Tag], rows: dict[str, list[int]], ended: bool = False
) -> str | None:
    """The pronoun of a speech tag ("he said" → "he", "said the girl" → "she"),
    resolved or not: even when coreference cannot say who "he" is, it rules out
    every "she". ``ended``: the line ends before the narration after it, where
    only a speech verb tags it (see `gather`)."""
    verbs = [t.verb for t in tags if t.verb is not None]
    verbs += [
        r
        for position in POSITIONS
        for r in rows.get(position, ())
        if ctx.tokens.pos[r] in ("VERB", "AUX")
        and ctx.tokens.lemmas[r].lower() in (SPEECH_VERBS if ended and position == "after" else _ANY_SPEECH)
    ]
    for verb in verbs:
        subj = ctx.tag_subject(verb)
        if subj is None:
            continue
        word = ctx.tokens.words[subj].lower()
        if ctx.tokens.pos[subj] == "PRON":
            return PRONOUN_SETS.get(word)
        if word in GENDERED_NOUNS:  # "said the girl", "cried her mother": a "she"
            return GENDERED_NOUNS[word]
    return None


def _not_introducing(ctx: Context, p: int, after: list[int]) -> list[int]:
    """The narration after a paragraph's last quote, less the sentence that
    introduces the next paragraph's quote ('"It is he!" and was hastening to
    meet him, when Elinor cried out,' / '"Indeed, Marianne…"'): that tag is
    the next line's, as `introduction` finds it."""
    if not after or ctx.tokens.words[after[-1]] not in _INTRODUCING:
        return after
    following = _words(ctx, ctx.rows_by_paragraph.get(p + 1, []))
    if not following or ctx.index.quote[following[0]] < 0:
        return after
    return _without_introduction(ctx, after)


def _without_introduction(ctx: Context, rows: list[int], keep_one: bool = False) -> list[int]:
    """``rows`` less the last clause of their last sentence, which introduces a
    line after them; ``keep_one``: unless they are that one clause alone."""
    last = _last_sentence(ctx, rows)
    k = _last_clause(ctx, last)
    if keep_one and k == 0 and not _words(ctx, rows[: len(rows) - len(last)]):
        return rows
    return rows[: len(rows) - len(last)] + last[:k]


def _not_tagging_next(ctx: Context, after: list[int]) -> list[int]:
    """The narration between a line and the next in its paragraph, less the
    sentence or clause that introduces the next ('"…," and glared at him.
    Fielding said: "…"'; '"…?" said Bob, and Ann answered, "…"'). A single
    clause stays: '"…?" she asked, turning to Bob: "…"' is tagged by it."""
    rows = list(after)
    while rows and ctx.tokens.words[rows[-1]] in _QUOTE_MARKS:
        rows.pop()
    if not rows or ctx.tokens.words[rows[-1]] not in _INTRODUCING:
        return after
    # One clause alone (after the closing mark of the line before) stays.
    cut = _without_introduction(ctx, rows, keep_one=True)
    return after if cut is rows else cut


_QUOTE_MARKS = frozenset("\"“”‘’'«»")
#: How a paragraph ends when its last sentence introduces the next one's quote.
_INTRODUCING = frozenset((":", ",", "—", "-", "--", "–"))
#: Words that open a clause of its own after a comma.
_CLAUSE_OPENERS = frozenset(("and", "but", "while", "whilst", "when", "whereupon", "till", "until"))


def _last_sentence(ctx: Context, rows: Sequence[int]) -> list[int]:
    """The rows (in order, a paragraph's) of the sentence the last row ends."""
    last = ctx.tokens.sentence[rows[-1]]
    k = len(rows)
    while k > 0 and ctx.tokens.sentence[rows[k - 1]] == last:
        k -= 1
    return list(rows[k:])


def _last_clause(ctx: Context, rows: Sequence[int]) -> int:
    """Where in a sentence's ``rows`` its last comma-joined clause begins (0:
    it is one clause). '"…," said Mary, and Katharine, after a moment, said:'
    tags this line with its first clause and introduces the next with its last."""
    for k in range(len(rows) - 1, 0, -1):
        if _opens_clause(ctx.tokens.words, rows[k]):
            return k
    return 0


def _opens_clause(words: Sequence[str], row: int) -> bool:
    """Whether the word opens a clause after a comma (", and Katharine …")."""
    return row > 0 and words[row].lower() in _CLAUSE_OPENERS and words[row - 1] in (",", ";")


def introduction(ctx: Context, p: int, before: Sequence[int]) -> list[int]:
    """The last sentence of the previous paragraph, when it introduces the quote
    ("Emma found an opportunity of saying," / "He addressed her:") and nothing
    of the quote's own paragraph stands before it."""
    if p <= 0 or any(ctx.tokens.pos[r] != "PUNCT" for r in before):  # an opening mark is no text
        return []
    rows = ctx.rows_by_paragraph.get(p - 1, [])
    if not rows or any(ctx.index.quote[r] >= 0 for r in rows[-3:]):
        return []
    # Ends as a sentence that goes on ("said:", "saying,"), or with no
    # closing stop at all (a dash the text lost: "Ratcliffe said, looking out ").
    last = rows[-1]
    if ctx.tokens.pos[last] == "PUNCT" and ctx.tokens.words[last] not in _INTRODUCING:
        return []
    sentence = _last_sentence(ctx, rows)
    return sentence[_last_clause(ctx, sentence) :]


def lead(ctx: Context, p: int, before: Sequence[int]) -> str | None:
    """Who the previous paragraph, with no line of its own, ends by saying
    speaks, when the quote opens its paragraph: "Katharine asked slowly, as if
    she found the question difficult." / "But do you care for William?"
    Weaker than an introducing tag, as "He said nothing." ends a paragraph
    too, so it is a feature for the ranker, not a tag."""
    if p <= 0 or any(ctx.tokens.pos[r] != "PUNCT" for r in before):
        return None
    rows = ctx.rows_by_paragraph.get(p - 1, [])
    if not rows or any(ctx.index.quote[r] >= 0 for r in rows):
        return None
    for r in _last_sentence(ctx, rows):
        # "said nothing", not "accosted the shorter of the two" or "asked him".
        said = any(
            ctx.tokens.deps[c] in _SAID_DEPS and not _personal_object(ctx, c)
            for c in ctx.index.children.get(r, ())
        )
        if ctx.tokens.pos[r] == "VERB" and ctx.tokens.lemmas[r].lower() in _LEAD_VERBS and not said:
            cid, _ = ctx.speaker_of_verb(r)
            if cid is not None:
                return cid
    return None


#: What a speech verb says when it says it in the narration ("said nothing", "said that…").
_SAID_DEPS = frozenset(("dobj", "ccomp", "attr", "oprd"))
#: Verbs that lead into speech from the end of a paragraph, besides the speech verbs.
_LEAD_VERBS = SPEECH_VERBS | {"accost", "address"}


def _personal_object(ctx: Context, row: int) -> bool:
    """Whether a verb's object is someone ("him", "Fanny", "the shorter of the two"), not what is said."""
    word = ctx.tokens.words[row].lower()
    return (
        ctx.character_at(row) is not None
        or word in _PERSONAL_OBJECTS
        or (
            ctx.tokens.deps[row] == "dobj"
            and ctx.tokens.pos[row] in ("NOUN", "ADJ", "PROPN")
            and word not in _THINGS_SAID
        )
    )


#: Objects that are what a verb says, not whom it addresses ("said nothing", "asked a question").
_THINGS_SAID = frozenset(
    ("nothing", "something", "anything", "everything", "word", "words", "question", "thing")
)


#: Verbs whose subject hears a line rather than speaks it ("so quietly Steve
#: almost missed it: 'I don't know how.'").
_HEARING = frozenset(("hear", "overhear", "listen", "miss", "catch"))


def _acts(ctx: Context, row: int) -> str | None:
    """The character a subject (or its owner: "Gregory's eyes blinked"; "A
    smile tugged at his mouth") names, unless its verb makes it a listener."""
    if _owns_ownerless_subject(ctx, row):
        return ctx.character_at(row)
    if (
        not subject_like(ctx.tokens, row)
        or ctx.tokens.lemmas[int(ctx.tokens.head[row])] in _HEARING
        or _spoken_to(ctx.tokens, row)
    ):
        return None
    return ctx.character_at(row)


def _spoken_to(tokens: TokenTable, row: int) -> bool:
    """Whether ``row`` is the passive subject of a speech verb, who is spoken to
    or of ("Mrs. Elton was spoken of", "Harriet was asked"), not who speaks."""
    return tokens.deps[row] == "nsubjpass" and tokens.lemmas[int(tokens.head[row])] in SPEECH_VERBS


def _owns_ownerless_subject(ctx: Context, row: int) -> bool:
    """ "A half smile tugged at the corners of his mouth": an owner of a part of
    the body in a clause whose subject is a part of the body, a smile or a
    look that no one owns, acts as much as "his smile tugged" would."""
    tokens = ctx.tokens
    if tokens.deps[row] != "poss" or tokens.words[int(tokens.head[row])].lower() not in BODY_NOUNS:
        return False
    node = int(tokens.head[row])
    for _ in range(6):
        up = int(tokens.head[node])
        if up == node:
            return False
        node = up
        if tokens.pos[node] in ("VERB", "AUX"):
            break
    else:
        return False
    subj = ctx.index.subject_of(node)
    return (
        subj is not None
        and tokens.words[subj].lower() in BODY_NOUNS
        and not any(tokens.deps[c] == "poss" for c in ctx.index.children.get(subj, ()))
    )


def actor(ctx: Context, rows: Sequence[int]) -> str | None:
    """The character who acts in the narration: the first character subject."""
    for r in rows:
        if cid := _acts(ctx, r):
            return cid
    return None


#: The longest narration before a line that reads as an action beat.
BEAT_SENTENCES = 2


def beat(ctx: Context, rows: Sequence[int], narrator: bool = False) -> str | None:
    """The one character acting in a short narration (at most two sentences),
    when they are named there: an action beat before a line.

    A longer passage, or one where two characters act ("Fanny turned to the
    window; and Miss Crawford had only time to say"), is no beat, and neither
    is one whose actor is only a pronoun, resolved too unsurely to outvote
    the turns. With ``narrator``, the narrator's "I" is as sure as a name: in
    the narration before a line ('I sit up. "You asked him?"'), not in an
    aside between its spans ('"I made but a slight gesture" – I know Poirot's
    gestures – "with the left hand"')."""
    if len({int(ctx.tokens.sentence[r]) for r in rows}) > BEAT_SENTENCES:
        return None
    actors: set[str] = set()
    named = False
    for r in rows:
        if cid := _acts(ctx, r):
            actors.add(cid)
            named = (
                named
                or ctx.index.character[r] is not None
                or (narrator and ctx.tokens.words[r].lower() in FIRST_PERSON)
            )
    return next(iter(actors)) if len(actors) == 1 and named else None


def _named_in(ctx: Context, start: int, end: int) -> str | None:
    """The character named between ``start`` and ``end`` (a chat line's sender label)."""
    named = ctx.names.starting_in(start, end)
    return named[0].character if len(named) == 1 else None


def vocatives(ctx: Context, quote_ids: Sequence[int]) -> list[str]:
    """Characters named inside the quote (vocatives point away from the speaker)."""
    out: list[str] = []
    text = ctx.doc.text
    for k in quote_ids:
        q = ctx.doc.quotes[k]
        out.extend(
            m.character
            for m in ctx.names.starting_in(q.start, q.end)
            if called_in_quote(text, q, m) and not _spoken_of(ctx, m)
        )
    return out


#: A parent called by their tie ("Yes, papa.", "My dear father,"), and the
#: title the parent bears with the family's surname.
_KIN_CALLS = {w: KIN_TITLES[w] for w in sorted(PARENTS)}
_KIN_CALL = re.compile(
    r"(?:^|[,!?;.—-]\s*|\bmy\s+(?:dear(?:est)?|own)\s+)("
    + "|".join(_KIN_CALLS)
    + r")(?=\s*(?:[,.!?;:—-]|$))",
    re.IGNORECASE,
)
#: Paragraphs back in which a called parent must be met.
KIN_CALL_REACH = 8


def kin_vocatives(ctx: Context, quote_ids: Sequence[int], paragraph: int) -> list[str]:
    """The parent a quote calls by their tie ("Yes, papa."): the one father (or
    mother) of the families of the characters the last few paragraphs mention,
    by title and surname (Mr. Woodhouse, for Emma Woodhouse). The caller is
    their child, not they."""
    text = ctx.doc.text
    titles = [
        _KIN_CALLS[m.group(1).lower()]
        for k in quote_ids
        for m in _KIN_CALL.finditer(text[ctx.doc.quotes[k].start : ctx.doc.quotes[k].end])
    ]
    if not titles:
        return []
    # The callers: no one called Mr. or Mrs. by a surname (a parent, or a
    # married daughter, whose "papa" is not Mr. Wickham).
    callers = {
        who
        for p in range(max(0, paragraph - KIN_CALL_REACH), paragraph + 1)
        for r in ctx.rows_by_paragraph.get(p, ())
        if (who := ctx.character_at(r)) is not None and who not in ctx.kin.titled
    }
    out: list[str] = []
    for title in titles:
        parents = {parent for child in callers if (parent := ctx.kin.relative(child, title)) is not None}
        if len(parents) == 1:
            out.append(parents.pop())
    return out


#: Dependencies of a name the sentence is about, not one it calls ("Should we
#: tell Snape?", "I'm not Steve.").
_OBJECT_DEPS = frozenset(("dobj", "pobj", "dative", "poss", "attr"))


#: Words that make the name after them spoken of ("With Fred and George,", "Or Ron.").
_LINKING_WORDS = frozenset(
    "and or nor but with without to for of about like than from by at in on into onto upon "
    "after before behind beside near against".split()
)


def _spoken_of(ctx: Context, name: Mention) -> bool:
    """Whether a name inside a quote is spoken of, not called: the object or
    complement of a verb or preposition there, with no comma to set it off,
    or right after a preposition or conjunction ("With Fred and George,")."""
    tokens = ctx.tokens
    first = int(np.searchsorted(tokens.start, name.start, side="left"))
    last = int(np.searchsorted(tokens.start, name.end, side="left")) - 1
    if first > 0 and tokens.words[first - 1].lower() in _LINKING_WORDS and ctx.index.quoted[first - 1]:
        return True
    return (
        last >= 0
        and tokens.deps[last] in _OBJECT_DEPS
        and not ctx.doc.text[max(0, name.start - 3) : name.start].rstrip().endswith((",", "—"))
    )


@dataclass(frozen=True, slots=True)
class Tag:
    """A speech tag: who it names, how (explicit/anaphoric), and its verb row."""

    position: str
    character: str
    kind: QuoteKind | None
    verb: int | None


@dataclass(slots=True)
class Evidence:
    """What surrounds one utterance (a group of quote spans of one speech)."""

    quotes: list[int]
    paragraph: int
    #: Index of its scene in ``doc.scenes`` (-1: none). A conversation never
    #: runs across a scene break.
    scene: int = -1
    tags: list[Tag] = field(default_factory=list)
    actor: str | None = None
    #: The character named as the acting subject of the narration that opens
    #: the paragraph, before its first line: an action beat ('Hermione folded
    #: her arms. "Fine."'), which names the speaker more surely than turn-taking.
    beat: str | None = None
    vocatives: list[str] = field(default_factory=list)
    #: Narration token rows beside the quote, by position.
    rows: dict[str, list[int]] = field(default_factory=dict)
    #: The pronoun set of a speech tag's pronoun subject, resolved or not.
    pronoun: str | None = None
    #: Who the previous paragraph ends by saying speaks (see `lead`).
    lead: str | None = None
    #: The paragraph its last span is in: a speech may run on over several
    #: paragraphs, each reopening the quote (-1: not known, the first's).
    last_paragraph: int = -1


def conversations(evidence: Sequence[Evidence]) -> Iterator[range]:
    """The lines of each conversation, in order: lines in the same or the next
    paragraph (after a speech's last) go on one conversation, which never runs
    across a scene break."""
    start = 0
    while start < len(evidence):
        end = start + 1
        while end < len(evidence):
            before, line = evidence[end - 1], evidence[end]
            gap = line.paragraph - max(before.paragraph, before.last_paragraph)
            if not (0 <= gap <= 1 and line.scene == before.scene):
                break
            end += 1
        yield range(start, end)
        start = end


def gather(doc: Document) -> tuple[Context, list[Evidence]]:
    """The evidence for every utterance of a parsed, quote-annotated document."""
    ctx = Context(doc)
    quotes = doc.quotes
    paragraph_of = SpanIndex(doc.paragraphs)
    scene_of = SpanIndex(doc.scenes)
    starts = [q.start for q in quotes]
    chat = chat_lines(doc.text, doc.paragraphs)
    out: list[Evidence] = []
    for g in utterances_of(quotes):
        first, last = quotes[g[0]], quotes[g[-1]]
        p = paragraph_of.find(first.start)
        ev = Evidence(g, p, scene_of.find(first.start), last_paragraph=paragraph_of.find(last.start))
        out.append(ev)
        if p < 0:
            continue
        para = doc.paragraphs[p]
        lo = bisect.bisect_left(starts, para.start)
        hi = bisect.bisect_left(starts, para.end)
        others = [q for q in quotes[lo:hi] if q.utterance != first.utterance]
        prev_end = max((q.end for q in others if q.end <= first.start), default=para.start)
        next_start = min((q.start for q in others if q.start >= last.end), default=para.end)
        before = narration_rows(ctx, p, prev_end, first.start)
        after = narration_rows(ctx, p, last.end, next_start)
        # Less what introduces the next line, in the next paragraph or this one.
        after = _not_introducing(ctx, p, after) if next_start == para.end else _not_tagging_next(ctx, after)
        ev.rows = {
            "inside": narration_rows(ctx, p, first.start, last.end),
            "after": after,
            "before": before[-25:],
            "intro": introduction(ctx, p, before),
        }
        # '"…yeah?" She nodded.' closing a paragraph: after a line that ends, a
        # smile or a nod is a reaction, as often the listener's; '"Hi," she
        # smiled' is a tag, and so is a shrug before the same voice goes on.
        ended = doc.text[last.end - 1 : last.end] not in _CONTINUED and next_start == para.end
        for position in POSITIONS:
            rows = ev.rows[position]
            # Before a quote the nearest tag is its own ("…," murmured Margaret,
            # while Helen said, "…"); the earlier one is the previous line's.
            strong_only = position == "after" and ended
            cid, kind, verb = speech_tag(ctx, rows[::-1] if position == "before" else rows, strong_only)
            if cid is None and position in ("inside", "after"):
                # '"I know," flashed Helen, "but…"': the narration between two
                # spans of one speech stands where the tag after the first would.
                end = (first if position == "inside" else last).end
                cid, kind, verb = adjacent_tag(ctx, rows, doc.text[end - 1 : end])
            if cid is not None:
                ev.tags.append(Tag(position, cid, kind, verb))
        line = chat.get(p)
        if line is not None and (sender := _named_in(ctx, line.sender_start, line.sender_end)):
            ev.tags.insert(0, Tag("before", sender, "explicit", None))  # "**MJ:** …" is MJ's
        ev.pronoun = tag_pronoun(ctx, ev.tags, ev.rows, ended)
        # The sentence right before a line is its action beat ('She shivered. He
        # frowned. "You're cold."'); else the first actor around it.
        said_before = _words(ctx, ev.rows["before"])
        ev.actor = (
            (actor(ctx, _last_sentence(ctx, said_before)) if said_before else None)
            or actor(ctx, ev.rows["before"] + ev.rows["inside"] + ev.rows["after"][:25])
            or actor(ctx, ev.rows["intro"])
        )
        if prev_end == para.start:
            ev.beat = beat(ctx, before, narrator=True)
            if not ev.rows["intro"]:
                ev.lead = lead(ctx, p, before)
            opens = not _words(ctx, before)
            if ev.beat is None and next_start == para.end and opens:
                ev.beat = beat(ctx, _words(ctx, after))
            if ev.beat is None and opens:
                # '"Barton." Natasha doesn't even raise her voice. "Not now."': the
                # beat between the spans of a line that opens its paragraph; not
                # words it quotes ("'Upon my word, Mr. E.,' I often say"), nor a
                # tag it has for someone unknown ('said the woman, unmoved (as Mr.
                # Bumble was very far from being)').
                inside = _words(ctx, ev.rows["inside"])
                lemmas = ctx.tokens.lemmas
                if not any(ctx.index.quoted[r] or lemmas[r].lower() in _ANY_SPEECH for r in inside):
                    ev.beat = beat(ctx, inside)
        ev.vocatives = list(dict.fromkeys([*vocatives(ctx, g), *kin_vocatives(ctx, g, p)]))
    return ctx, out

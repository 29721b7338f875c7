"""Find the cast from the text alone and cluster every name a character goes by.

spaCy's NER misses many fan-fiction names (Spike, Dru, Naruto-kun), so a name
is any run of capitalised proper-noun tokens, an honorific with a name, or a
name with a Japanese honorific suffix; NER only votes on whether the run is a
person or a place. Names then cluster into characters by the rules readers
use: full name, first name, surname and honorific forms (Tom, Tom Sawyer,
Mr. Sawyer) and nicknames from a shipped table, but never two people who
share a name part: Mr. Knightley and Mr. John Knightley, Mrs. Bennet and
Miss Bennet, or a father and son.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from itertools import pairwise
from typing import ClassVar

from ficlens.model import Character, Document, Mention, Quote, TokenTable
from ficlens.resources import given_names, lexicon, not_names, read_text
from ficlens.spans import SpanIndex
from ficlens.stages.base import Stage
from ficlens.stages.kin import PARENTS
from ficlens.stages.quote_features import SPEECH_VERBS
from ficlens.stages.quotes import chat_lines

MALE_TITLES = lexicon("male_titles")
FEMALE_TITLES = lexicon("female_titles")
NEUTRAL_TITLES = lexicon("neutral_titles")
TITLES = MALE_TITLES | FEMALE_TITLES | NEUTRAL_TITLES
#: Married and unmarried forms name different people (Mrs. Bennet, Miss Bennet).
_TITLE_GROUP = {
    **{t: "m" for t in MALE_TITLES},
    **{t: "f" for t in FEMALE_TITLES},
    "mrs": "mrs",
    "missus": "mrs",
    "frau": "mrs",
    "lady": "mrs",  # "Lady Bertram" is the mother, not Maria Bertram
    "madame": "mrs",
    "mme": "mrs",
    "signora": "mrs",
    "senora": "mrs",
    "señora": "mrs",
}
JAPANESE_SUFFIXES = ("san", "chan", "kun", "sama", "senpai", "sempai", "sensei", "dono", "tan", "chin")
#: Korean honorifics and vocative particles ("Yoongi-hyung", "Taehyung-ah") and
#: Chinese kinship and rank suffixes of danmei fan fiction ("Wei-xiong", "Hanguang-jun").
KOREAN_SUFFIXES = tuple("hyung hyungie noona nuna oppa unnie eonni ssi sunbae sunbaenim ah ya".split())
CHINESE_SUFFIXES = tuple("ge gege jie jiejie xiong shixiong shidi shijie shizun jun laoshi".split())
HONORIFIC_SUFFIXES = JAPANESE_SUFFIXES + KOREAN_SUFFIXES + CHINESE_SUFFIXES
_SUFFIX_RE = re.compile(r"\b([A-Z][\w']+)-(" + "|".join(HONORIFIC_SUFFIXES) + r")\b")
_NON_PERSON = lexicon("non_person_entities")

#: A capitalised word after these is more likely a place than a person.
_PLACE_PREPOSITIONS = lexicon("place_prepositions")
#: Last words of a place's name ("Longbourn House", "Windy Corner", "Wickham Place").
_PLACE_HEADS = lexicon("place_heads")
_ARTICLES = frozenset(("a", "an"))
_PARTICLES = frozenset(
    ("de", "du", "van", "von", "der", "den", "da", "di", "del", "della", "le", "la", "al", "bin")
)
#: Titles that also go before a given name alone ("Miss Elizabeth", "Sir William", "Aunt Petunia").
GIVEN_NAME_TITLES = frozenset(
    "miss master lady sir lord dame aunt uncle cousin prince princess king queen".split()
)
#: Titles of address that stand alone for the one person who bears them
#: ('"Ah!" exclaimed Mademoiselle', "Madame laughed"), as English titles do not.
LONE_TITLES = frozenset(
    "mademoiselle madame monsieur mlle mme signor signora signorina senor senora senorita señor señora "
    "señorita herr frau fraulein fräulein doña".split()
)
#: A full name ending in one of these names a wife by her husband's name ("Hamidullah Begum").
_SPOUSE_SUFFIXES = frozenset(("begum", "bibi", "khanum"))
_PLACES = frozenset(("GPE", "LOC"))


@cache
def nicknames() -> dict[str, tuple[str, ...]]:
    table = json.loads(read_text("nicknames.json"))
    return {k: tuple(v) for k, v in table.items() if not k.startswith("_")}


@cache
def fandom_names() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Fandom → its main characters' full names, as lower-case name parts."""
    table = json.loads(read_text("fandom_names.json"))["fandoms"]
    return {f: tuple(tuple(n.lower().split()) for n in names) for f, names in table.items()}


#: How many of a fandom's characters a text must call by their first names
#: before the fandom's full names are taken for its own.
FANDOM_MIN = 3


def known_full_names(names: set[str], tags: Sequence[str] = ()) -> list[tuple[str, ...]]:
    """Full names the text may never write out: the work's character tags
    ("Draco Malfoy", "Castiel (Supernatural)"), and the names of every fandom
    of the table of which the text uses, as one-word ``names``, at least
    `FANDOM_MIN` characters' first names and two of their surnames (a novel
    with a Fred, a George and a Percy is not yet Harry Potter), one more first
    name and one character's both ("Harry", "Draco", "Pansy", "Blaise" and "Potter"),
    or both names of two of its characters apart ("Draco", "Malfoy",
    "Hermione", "Granger")."""
    out = []
    for tag in tags:
        parts = tuple(re.sub(r"\(.*?\)", " ", tag).lower().split())
        if len(parts) >= 2 and not any(c in tag for c in "/&|"):
            out.append(parts)
    for fandom in fandom_names().values():
        firsts = {n[0] for n in fandom if n[0] in names}
        lasts = {n[-1] for n in fandom if len(n) > 1 and n[-1] in names}
        pairs = [n for n in fandom if len(n) > 1 and n[0] in names and n[-1] in names]
        if (
            (len(firsts) >= FANDOM_MIN and len(lasts) >= 2)
            or (len(firsts) > FANDOM_MIN and pairs)
            or len(pairs) >= 2
        ):
            out += [n for n in fandom if len(n) > 1]
    return out


#: Titles of rank or calling, which a surname takes whoever in the family bears
#: it ("Captain Rogers" is Steve), unlike "Mr." or "Lady" (Mr. Weasley is Arthur).
_RANKS = NEUTRAL_TITLES - {"cousin", "saint", "st", "comrade"}


def join_known_names(clusters: list[list[Form]], full_names: Sequence[tuple[str, ...]]) -> list[list[Form]]:
    """A bare surname joins the one character its known full name's first name
    is ("Potter" is Harry when the text never writes "Harry Potter"), and so
    does one with a rank ("Captain Rogers" is Steve); not when another known
    bearer of it is named too ("Malfoy" with Draco and Lucius), nor a surname
    with a family title ("Mr. Weasley" is Arthur, not Ron)."""
    firsts = {f.parts[0] for c in clusters for f in c if f.title is None}
    out = [list(c) for c in clusters]
    for parts in full_names:
        first, last = parts[0], parts[-1]
        rivals = [n for n in full_names if n[-1] == last and n[0] != first and n[0] in firsts]
        if rivals:
            continue
        owners = [c for c in out if any(f.title is None and f.parts[0] == first for f in c)]
        surnames = [
            c for c in out if all(f.parts == (last,) and (f.title is None or f.title in _RANKS) for f in c)
        ]
        if len(owners) == 1 and len(surnames) == 1 and surnames[0] is not owners[0]:
            owners[0].extend(surnames[0])
            out.remove(surnames[0])
    return out


def _norm_title(word: str) -> str:
    return word.lower().rstrip(".")


@dataclass(frozen=True, slots=True)
class NameSpan:
    """One occurrence of a name in the text."""

    start: int
    end: int
    title: str | None
    parts: tuple[str, ...]
    person_votes: int = 0
    other_votes: float = 0.0
    sentence_initial: bool = False
    #: Sentence number (-1 when unknown): two names in one sentence are two people.
    sentence: int = -1
    #: After "a"/"an": a thing or a kind ("a Weasley"), not someone.
    article: bool = False
    #: Subject of a speech verb ("said the Hatter"): someone, not something.
    speech_subject: bool = False
    #: Subject of a verb: with NER's vote, makes a name met only once a character.
    agent: bool = False
    #: Called by name ("at Christmas, Nell,"): makes it a character on its own.
    called: bool = False
    #: Subject of a verb of the mind or senses ("Octavia is watching us"), or
    #: followed by "who" ("Clint, who caught it"): places and things do not
    #: watch, think or wonder, nor take "who", whatever NER calls the name.
    sentient: bool = False


@dataclass(slots=True)
class Form:
    """All occurrences of one name form (title + parts)."""

    title: str | None
    parts: tuple[str, ...]
    spans: list[NameSpan] = field(default_factory=list)
    surfaces: Counter[str] = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.spans)


@dataclass(frozen=True, slots=True)
class CastPrediction:
    """Clusters of forms, in order of first mention, and any reader-insert marks."""

    clusters: tuple[tuple[Form, ...], ...]
    #: Spans of "Y/N", "(Y/N)", "[Y/N]" …: the reader as a character.
    reader: tuple[tuple[int, int], ...] = ()


#: Reader-insert placeholders: Y/N (your name), and kin such as L/N, E/C.
READER_RE = re.compile(r"(?<![\w/])[\(\[]?Y/N[\)\]]?(?![\w/])", re.IGNORECASE)
READER_ID = "reader"
#: The id and name of an unnamed first-person narrator (the coreference stage adds them).
NARRATOR_ID = "narrator"
NARRATOR_NAME = "Narrator"


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


_OPENERS = frozenset(('"', "“", "‘", "'", "—", "–", "-", "…", "(", ":", "*", "_"))


def _starts_sentence(tokens: TokenTable, i: int) -> bool:
    """A sentence's first word, or a quotation's ("Maybe," she said): capitalised
    there whatever it is, so its capital says nothing about names."""
    return i == 0 or tokens.sentence[i - 1] != tokens.sentence[i] or tokens.words[i - 1] in _OPENERS


_OPENS, _CLOSES = ('"', "“", "‘"), ('"', "”", "’")


def _whole_line(tokens: TokenTable, first: int, last: int) -> bool:
    """Whether the name is a line of dialogue on its own ("Steve." / "Malfoy?")."""
    before = tokens.words[first - 1] if first > 0 else ""
    after2 = tokens.words[last + 2] if last + 2 < len(tokens) else ""
    return before in _OPENS and after2 in _CLOSES


def _called(tokens: TokenTable, first: int, last: int) -> bool:
    """A name set off by commas or at a quotation's edge, as one calls someone."""
    before = tokens.words[first - 1] if first > 0 else ""
    after = tokens.words[last + 1] if last + 1 < len(tokens) else ""
    after2 = tokens.words[last + 2] if last + 2 < len(tokens) else ""
    # "Nell, come here" / "…at Christmas, Nell," / "…, Nell!" — at a quotation's edge,
    # unlike a list of things ("a Gap, a Starbucks, a…").
    if _whole_line(tokens, first, last):
        return False  # the whole line is the word ("Bread," he said): an answer as likely as a call
    return (before in _OPENS and after in (",", "!", "?")) or (
        before == "," and (after in ("!", "?", *_CLOSES) or (after in (",", ".") and after2 in _CLOSES))
    )


def _unknown_name(tokens: TokenTable, i: int, stop: frozenset[str]) -> bool:
    """A capitalised word the tagger did not take for a name (Will, Giles):
    mid-sentence, right beside a speech verb ("Giles asked"), or a known given
    name opening a sentence as its subject ("Clint wandered in")."""
    word = tokens.words[i]
    if not _is_cap(word) or word.lower() in stop or not word.isalpha() or word.isupper():
        return False
    initial = _starts_sentence(tokens, i)
    beside_speech = (i + 1 < len(tokens) and tokens.lemmas[i + 1] in SPEECH_VERBS) or (
        i > 0 and tokens.lemmas[i - 1] in SPEECH_VERBS
    )
    given = tokens.deps[i] in ("nsubj", "nsubjpass") and word.lower() in given_names()
    return not initial or beside_speech or given


def _pronoun_follows(tokens: TokenTable, row: int) -> bool:
    """Whether the next sentence opens with "he" or "she" as its subject, and no
    other name comes between: "Hermione hadn't meant to fall asleep. She
    blinked …" makes Hermione someone, whatever NER says."""
    sentence = tokens.sentence[row]
    for r in range(row + 1, min(row + 60, len(tokens))):
        if tokens.sentence[r] == sentence:
            if tokens.pos[r] == "PROPN" or tokens.words[r] in ('"', "“"):
                return False
            continue
        if tokens.sentence[r] != sentence + 1 or tokens.paragraph[r] != tokens.paragraph[row]:
            return False
        if tokens.pos[r] in ("PUNCT", "SPACE"):
            continue
        return tokens.words[r].lower() in ("he", "she") and tokens.deps[r] in ("nsubj", "nsubjpass")
    return False


#: Relative pronouns that only ever stand for people.
_WHO = frozenset(("who", "whom", "whose"))


def _who_follows(tokens: TokenTable, row: int) -> bool:
    """Whether a relative "who" follows the name ("Clint, who caught it"): the
    word names a person, whatever NER calls it."""
    nxt = row + 1
    if nxt < len(tokens) and tokens.words[nxt] == ",":
        nxt += 1
    if nxt >= len(tokens) or tokens.words[nxt].lower() not in _WHO or tokens.tags[row] == "NNPS":
        return False
    # The clause must be the name's ("Clint, who caught it"), not an earlier
    # noun's ("the squire of Somersetshire, who").
    clause = int(tokens.head[nxt])
    return tokens.deps[clause] == "relcl" and int(tokens.head[clause]) == row


def _between_quote_and_speech_verb(tokens: TokenTable, row: int) -> bool:
    """Whether the word stands between a closing quotation mark and a speech verb."""
    return (
        0 < row < len(tokens) - 1 and tokens.tags[row - 1] == "''" and tokens.lemmas[row + 1] in SPEECH_VERBS
    )


def _inverted_tag(tokens: TokenTable, first: int) -> bool:
    """Whether the name follows a verb that follows a closing quotation mark:
    '"…," asserted the Colonel' tags speech whatever the verb."""
    return (
        first > 1
        and tokens.pos[first - 1] == "VERB"
        and tokens.tags[first - 1] in ("VBD", "VBZ")
        and tokens.tags[_skip_space(tokens, first - 2)] == "''"
    )


#: Parts of speech that never begin a name, and auxiliaries that open a
#: question ("Could Anne …?"); "Will" and "May" are left alone, as they are names too.
_FUNCTION_POS = frozenset(("PRON", "DET", "ADP", "CCONJ", "SCONJ", "PART", "INTJ"))
_QUESTION_WORDS = frozenset(
    "could would should might must can shall did does do had has have was were is are".split()
)


def _not_a_name_word(tokens: TokenTable, row: int) -> bool:
    word = tokens.words[row].lower()
    if tokens.pos[row] == "ADV" or tokens.tags[row] == "VBG":
        # "Somehow Anne", "'Eating is boring'"; but "Dolly" (mis-tagged ADV) is a
        # name, and so is a speech tag's subject after a closing quote ('"…?" Fielding repeated').
        return (
            _starts_sentence(tokens, row)
            and word not in given_names()
            and not _between_quote_and_speech_verb(tokens, row)
        )
    return tokens.pos[row] in _FUNCTION_POS or word in _QUESTION_WORDS


#: Titles that only ever open a name, so one after a name word starts another
#: name ("Mrs. Moore, Miss Quested"); "Reggie St Cloud" keeps its "St".
_NAME_OPENERS = frozenset(
    ("mr", "mrs", "miss", "ms", "dr", "mister", "missus", "madame", "monsieur", "mademoiselle", "mme", "mlle")
)


def name_spans(
    text: str, tokens: TokenTable, quotes: Sequence[Quote] = (), short: bool = False
) -> list[NameSpan]:
    """Runs of capitalised proper-noun tokens, optionally led by a title, and
    descriptions that tag the ``quotes`` ("said the policeman"); ``short``: the
    text is a short work's (see `nominal_spans`)."""
    out: list[NameSpan] = []
    n = len(tokens)
    stop = not_names()
    i = 0
    while i < n:
        word = tokens.words[i]
        title_here = _norm_title(word) in TITLES and _is_cap(word)
        # "the Duchess": a capitalised common noun after "the", mid-sentence.
        titled_noun = (
            i > 0
            and tokens.words[i - 1] == "the"
            and _is_cap(word)
            and tokens.pos[i] in ("NOUN", "PROPN", "ADJ")
            and tokens.sentence[i - 1] == tokens.sentence[i]
        )
        unknown = _unknown_name(tokens, i, stop)
        if not (
            title_here
            or titled_noun
            or unknown
            or (_is_cap(word) and (tokens.pos[i] == "PROPN" or tokens.ents[i] == "PERSON"))
        ):
            i += 1
            continue
        j = i + 1 if unknown else i
        while (
            j < n
            and tokens.sentence[j] == tokens.sentence[i]
            and _is_cap(tokens.words[j])
            and (
                tokens.pos[j] == "PROPN"
                or tokens.ents[j] == "PERSON"
                or _norm_title(tokens.words[j]) in TITLES
                or (j == i + 1 and title_here)
                or (titled_noun and tokens.pos[j] in ("NOUN", "PROPN", "ADJ"))
            )
            and tokens.words[j] not in ("I", "I'm")
            # A title after a name starts the next name ("Mrs. Moore, Miss Quested").
            and not (
                j > i
                and _norm_title(tokens.words[j]) in _NAME_OPENERS
                and _norm_title(tokens.words[j - 1]) not in TITLES
            )
        ):
            j += 1
            # A name particle between two name words: "Thérèse de Vitré", "Van der Berg".
            if (
                j + 1 < n
                and j > i
                and tokens.words[j] in _PARTICLES
                and _is_cap(tokens.words[j + 1])
                and tokens.pos[j + 1] == "PROPN"
                and tokens.sentence[j + 1] == tokens.sentence[i]
            ):
                j += 1
        if j == i:
            i += 1
            continue
        rows = list(range(i, j))
        # Leading words that are not names ("Oh Buffy", "Poor Miss Taylor",
        # and NER's "My Emma", "Could Anne" at a sentence's start).
        while (
            rows
            and _norm_title(tokens.words[rows[0]]) not in TITLES
            and (
                tokens.words[rows[0]].lower() in stop
                or ((len(rows) > 1 or tokens.tags[rows[0]] == "VBG") and _not_a_name_word(tokens, rows[0]))
            )
        ):
            rows.pop(0)
        title = None
        if rows and _norm_title(tokens.words[rows[0]]) in TITLES and len(rows) > 1:
            title = _norm_title(tokens.words[rows[0]])
            rows = rows[1:]
        # Further titles after the first ("Sir Lord X") are dropped from the parts.
        parts = tuple(
            tokens.words[r].lower().rstrip(".")
            for r in rows
            if _norm_title(tokens.words[r]) not in TITLES and re.search(r"\w", tokens.words[r])
        )
        if not parts and rows and title is None and (seat := _seat(tokens, rows[-1])):
            # "the Duchess of Monmouth", "Lord Henry's uncle, the Earl of Fermor".
            title, rows = _norm_title(tokens.words[rows[0]]), seat
            parts = tuple(tokens.words[r].lower() for r in seat[1:])
            j = seat[-1] + 1
        elif not parts and len(rows) == 1 and rows[0] > 0 and tokens.words[rows[0] - 1].lower() == "the":
            parts = (tokens.words[rows[0]].lower().rstrip("."),)  # "the Duchess", "the Doctor"
        lone = not parts and len(rows) == 1 and _norm_title(tokens.words[rows[0]]) in LONE_TITLES
        if lone:
            # "exclaimed Mademoiselle": a description of her, as "the Duchess" is.
            parts, title = (_norm_title(tokens.words[rows[0]]),), "the"
        if parts and (lone or not all(p in stop for p in parts)):
            first = rows[0] if title is None or lone else rows[0] - 1
            ents = [tokens.ents[r] for r in rows]
            prev = tokens.words[first - 1].lower() if first > 0 else ""
            initial = _starts_sentence(tokens, first)
            if title is None and prev == "the":
                # A title used as a name: "the Hatter", "the Slayer".
                title, first = "the", first - 1
                prev = tokens.words[first - 1].lower() if first > 0 else ""
            last = rows[-1]
            subject = tokens.deps[last] in ("nsubj", "nsubjpass")
            speaker = (
                (subject and tokens.lemmas[int(tokens.head[last])] in SPEECH_VERBS)
                or (
                    # "said the Hatter", but not "says the Osprey never came in"
                    first > 0
                    and tokens.lemmas[first - 1] in SPEECH_VERBS
                    and not (subject and int(tokens.head[last]) != first - 1)
                )
                or _inverted_tag(tokens, first)
            )
            sentient = _who_follows(tokens, last) or (
                tokens.deps[last] == "nsubj" and tokens.lemmas[int(tokens.head[last])] in SENTIENT_VERBS
            )
            out.append(
                NameSpan(
                    start=int(tokens.start[first]),
                    end=int(tokens.end[rows[-1]]),
                    title=title,
                    parts=parts,
                    person_votes=int("PERSON" in ents or (subject and _pronoun_follows(tokens, last))),
                    # A plural proper noun ("Indians", "Italians") is a people or a kind.
                    other_votes=_thing_vote(ents)
                    + float(_place_context(tokens, first) or _names_a_place(tokens, last))
                    + float(tokens.tags[last] == "NNPS"),
                    article=prev in _ARTICLES,
                    sentence_initial=initial,
                    sentence=int(tokens.sentence[first]),
                    agent=tokens.deps[last] in ("nsubj", "nsubjpass"),
                    sentient=sentient,
                    # A given name alone as a line ("Steve.") calls or names someone;
                    # "Bread." or "Silenzio!" does neither.
                    called=_called(tokens, first, last)
                    or (_whole_line(tokens, first, last) and parts[-1] in given_names()),
                    speech_subject=speaker,
                )
            )
        i = j
    for m in _SUFFIX_RE.finditer(text):
        out.append(NameSpan(m.start(), m.end(), None, (m.group(1).lower(),), person_votes=1))
    out.extend(nominal_spans(tokens, quotes, short))
    out.sort(key=lambda s: (s.start, -s.end))
    return _drop_nested(out)


#: Ranks one bearer holds in a work's society, named in full perhaps once
#: ("the Duchess of Monmouth") and "the duchess" after.
_PEER_RANKS = frozenset(
    "duke duchess earl countess marquis marquess marchioness viscount viscountess baron baroness "
    "archbishop bishop".split()
)
#: Titles that take the name of a place: "the Duke of Wellington", "Prince of Wales".
_PEERAGE = _PEER_RANKS | {"prince", "princess", "king", "queen", "lord", "lady"}


def _seat(tokens: TokenTable, row: int) -> list[int] | None:
    """The rows of "of Monmouth" after a title of rank at ``row``, "of" first
    (its first row is ``row``'s next), or None."""
    if _norm_title(tokens.words[row]) not in _PEERAGE:
        return None
    end = row + 2
    while (
        end < len(tokens)
        and tokens.sentence[end] == tokens.sentence[row]
        and _is_cap(tokens.words[end])
        and tokens.pos[end] == "PROPN"
    ):
        end += 1
    if end == row + 2 or tokens.words[row + 1] != "of":
        return None
    return list(range(row + 1, end))


#: Verbs of the mind and senses whose subject is someone ("Octavia is watching"),
#: not the focal verbs a place or thing may take ("the house looked old").
SENTIENT_VERBS = lexicon("focal_verbs") - frozenset(
    ("ache", "feel", "long", "look", "miss", "need", "smell", "taste")
)
#: Elided words ("'Tis") that open no full name.
_ELISIONS = lexicon("elisions")
#: Works shorter than this (in tokens) keep names met once (a one-shot's cast is small).
SHORT_WORK_TOKENS = 20_000
#: What a call ("You're late, Clarke,") weighs against NER's place votes (1
#: each): no one addresses a place, and NER often reads an unusual name as one.
CALL_WEIGHT = 2
#: How many speech tags a description must head to become a name.
NOMINAL_MIN = 2
#: Nouns for anyone ("the man"), which name someone of their own only in a short
#: work, where they tag speech often: in a novel they are mostly a named
#: character's, and many people's.
_GENERIC_PEOPLE = frozenset(("man", "woman", "gentleman", "lady", "girl", "boy", "fellow"))
GENERIC_MIN = 3
#: Nouns that head a speech tag but name no one in particular.
_NOT_NOMINAL = lexicon("not_nominal")
#: Speech verbs a thing takes as often as a person ("the door chimed", "the
#: kettle hissed", "the wind howled"): as a description's
#: tag they are no sign that it is someone. ("Went on" and "called" are
#: left out: "the cook went on", "the innkeeper called".)
_THING_SOUNDS = frozenset(
    "chime echo hiss roar howl wail sing moan groan purr squeal squeak rasp croak".split()
)


#: Endings of nouns that name a person by a role (housemaid, coachman, hostess,
#: chemist, physician, innkeeper, stationmaster). Epithets ("the vampire",
#: "the blonde") are not among them: they mostly describe a named character.
_ROLE_ENDINGS = ("man", "woman", "maid", "ess", "ist", "ician", "keeper", "master", "mistress")


#: Callings whose bearer a story often never names ("said the doctor", "the nurse
#: answered"): one tag makes a character of them, as of "the housemaid".
_ROLES = frozenset(
    "doctor nurse driver waiter servant butler porter guard officer soldier priest vicar clerk "
    "landlord landlady magistrate surgeon coroner constable jailer gaoler steward conductor "
    "curate rector parson chaplain beadle sentry bartender".split()
)


def _personal(noun: str) -> bool:
    return noun.endswith(_ROLE_ENDINGS) or noun in _ROLES


def description_rows(
    tokens: TokenTable, noun: int, determiners: frozenset[str] = frozenset(("the",))
) -> list[int] | None:
    """Rows of "the [adjectives] noun" ending at ``noun`` (or another of
    ``determiners`` for "the"), or None when it is not that shape."""
    rows = [noun]
    r = noun - 1
    while r >= 0 and noun - r <= DESCRIPTION_SPAN:
        word = tokens.words[r]
        if word == "-" and r >= 1 and tokens.words[r - 1].isalpha() and tokens.words[r - 1].islower():
            rows[:0] = [r - 1, r]  # "the hump-backed man", "the book-stall keeper"
            r -= 2
        elif word.islower() and (
            tokens.pos[r] in ("ADJ", "NOUN") or (tokens.pos[r] == "VERB" and tokens.deps[r] == "amod")
        ):
            rows.insert(0, r)
            r -= 1
        else:
            break
    if r < 0 or tokens.words[r].lower() not in determiners:
        return None
    return [r, *rows]


#: Tokens a description's modifiers may take before its noun.
DESCRIPTION_SPAN = 5
#: Prepositions of a phrase that singles someone out by looks ("the gentleman
#: in the white waistcoat", "the magistrate with spectacles").
_SINGLING = frozenset(("in", "with"))
#: Tokens such a phrase may take after the preposition.
SINGLING_SPAN = 4


def singling_rows(tokens: TokenTable, noun: int) -> list[int]:
    """Rows of a lower-case "in"/"with" phrase on ``noun`` ("in the white
    waistcoat"), or none."""
    prep = noun + 1
    if (
        prep >= len(tokens)
        or tokens.words[prep] not in _SINGLING
        or tokens.deps[prep] != "prep"
        or int(tokens.head[prep]) != noun
    ):
        return []
    rows = [prep]
    for r in range(prep + 1, min(prep + 1 + SINGLING_SPAN, len(tokens))):
        if not (tokens.words[r].isalpha() and tokens.words[r].islower()):
            return []
        rows.append(r)
        if tokens.deps[r] == "pobj" and int(tokens.head[r]) == prep:
            return rows
    return []


#: The first-person narrator's own: "said my mother", "our master answered".
#: In the narration these name one person for the whole work, as "Mother"
#: would; inside a quote they are the speaker's, so only the narration's count.
_POSSESSIVE = frozenset(("my", "our"))
_DETERMINERS = _POSSESSIVE | {"the"}
#: Relations a narrator has one of, whose "my" is a name from the first tag.
_KIN = frozenset(
    "father mother aunt uncle sister brother grandmother grandfather grandma grandpa granny "
    "husband wife mom mum dad mama mamma papa guardian master mistress nurse governess".split()
)


_NOUNS = frozenset(("NOUN", "PROPN"))
#: How far (in characters) a speech verb may be from a line it tags.
TAG_REACH = 60


def nominal_spans(tokens: TokenTable, quotes: Sequence[Quote], short: bool = False) -> list[NameSpan]:
    """Characters known only by a description: "said the policeman", "the old
    man asked". A description becomes a name once it heads a speech tag
    beside a line of the ``quotes`` (not "the world says", "the wind
    whispered"); then every "the policeman" in the text is a mention of it.
    In a ``short`` work, so does one for anyone ("said the man") that heads
    several: Great Expectations' convict is "the man" to the end of the chapter."""
    found: Counter[tuple[str, ...]] = Counter()
    edges = sorted(x for q in quotes for x in (q.start, q.end))
    inside = SpanIndex(quotes)
    n = len(tokens)
    for i in range(n):
        # A lower-case noun (spaCy tags "said the tinker" PROPN at times), in the narration.
        if tokens.pos[i] not in _NOUNS or not tokens.words[i].islower():
            continue
        # "the mother" is anyone's; "my mother" is the narrator's (checked below).
        anyone = tokens.words[i] in _NOT_NOMINAL
        nominal = not anyone or (short and tokens.words[i] in _GENERIC_PEOPLE)
        # Anyone ("the man") singled out by looks: "the hump-backed man", "the
        # gentleman in the white waistcoat".
        singled = singling_rows(tokens, i) if anyone else []
        hyphened = anyone and "-" in tokens.words[max(0, i - DESCRIPTION_SPAN) : i]
        if not (nominal or singled or hyphened or tokens.words[i] in _KIN):
            continue
        if int(tokens.start[i]) in inside:
            continue
        head = int(tokens.head[i])
        if not (_near(edges, int(tokens.start[i])) or _near(edges, int(tokens.start[head]))):
            continue
        # "the policeman said", not "the question was asked" or "the door chimed".
        subject = (
            tokens.deps[i] == "nsubj"
            and tokens.lemmas[head] in SPEECH_VERBS
            and tokens.lemmas[head] not in _THING_SOUNDS
        )
        # '"…," asked the caterpillar' (which spaCy often parses as an object),
        # not "she asked the question": the verb opens its clause after a quote or comma.
        inverted = (
            i >= 3
            and tokens.words[i - 1].lower() in _DETERMINERS
            and tokens.lemmas[i - 2] in SPEECH_VERBS
            and tokens.pos[_skip_space(tokens, i - 3)] == "PUNCT"
        )
        if not (subject or inverted) or _owner_or_compound(tokens, i):
            continue
        rows = description_rows(tokens, i, _DETERMINERS)
        if rows is None:
            continue
        determiner = tokens.words[rows[0]].lower()
        if determiner == "the" and anyone and ("-" in tokens.words[rows[0] : i] or singled):
            found[tuple(tokens.words[r].lower() for r in (*rows[1:], *singled))] += 1
        elif determiner == "the" and nominal:
            found[tuple(tokens.words[r].lower() for r in rows[1:])] += 1
        elif determiner != "the" and (tokens.words[i] in _KIN or _personal(tokens.words[i])):
            found[(determiner, *(tokens.words[r].lower() for r in rows[1:]))] += 1
    # A description names someone once it tags speech a few times, or once
    # when its noun can only be a person ("observed the housemaid") or is
    # the narrator's kin ("said my aunt").
    keys = {k for k, count in found.items() if k[0] in _POSSESSIVE or _names_someone(k, count)}
    if not keys:
        return []
    longest = max(len(k) for k in keys)
    out = []
    for i in range(n):
        first = tokens.words[i].lower()
        if first not in _DETERMINERS:
            continue
        narrators = first in _POSSESSIVE
        if narrators and int(tokens.start[i]) in inside:
            continue
        for size in range(longest, 0, -1):
            words = tuple(w.lower() for w in tokens.words[i + 1 : i + 1 + size])
            if narrators:
                words = (first, *words)
            if (
                words in keys
                and tokens.pos[i + size] in _NOUNS
                and not _compound(tokens, i + size)
                and not _seat(tokens, i + size)  # "the Duchess of Monmouth" is a name
            ):
                last = i + size
                head = int(tokens.head[last])
                subject = tokens.deps[last] in ("nsubj", "nsubjpass")
                speaks = (
                    (subject and tokens.lemmas[head] in SPEECH_VERBS)
                    or (i >= 1 and tokens.lemmas[i - 1] in SPEECH_VERBS)
                ) and not _owner_or_compound(tokens, last)
                out.append(
                    NameSpan(
                        int(tokens.start[i]),
                        int(tokens.end[last]),
                        "the",
                        words,
                        speech_subject=speaks,
                        sentence=int(tokens.sentence[i]),
                    )
                )
                break
    return out


def _compound(tokens: TokenTable, row: int) -> bool:
    """Whether the noun at ``row`` is a compound's first part: "my sister-in-law" is not my sister."""
    return row + 1 < len(tokens) and tokens.words[row + 1] == "-"


def owned_after(tokens: TokenTable, row: int) -> bool:
    """Whether a possessive "'s" follows ``row``: what it names owns the next noun."""
    nxt = row + 1
    return nxt < len(tokens) and (tokens.tags[nxt] == "POS" or tokens.words[nxt] in ("'s", "’s"))


def _owner_or_compound(tokens: TokenTable, row: int) -> bool:
    """Whether the noun at ``row`` is an owner or a compound's first part: the
    speaker of "said my brother's wife" is not my brother."""
    return _compound(tokens, row) or owned_after(tokens, row)


def _singled(words: tuple[str, ...]) -> bool:
    """Whether a description singles one person out ("the hump-backed man",
    "the gentleman in the white waistcoat"), as "the man" does not."""
    return "-" in words or not _SINGLING.isdisjoint(words)


def _names_someone(words: tuple[str, ...], tags: int) -> bool:
    """Whether a description that heads ``tags`` speech tags is a character's
    name: one of a role ("the housemaid") once, any other twice; one for anyone
    three times, and bare ("the man"; "the older man" is most often a named
    character's epithet)."""
    if words[-1] in _GENERIC_PEOPLE and not _singled(words):
        return tags >= GENERIC_MIN and len(words) == 1
    return tags >= NOMINAL_MIN or _personal(words[-1])


def _skip_space(tokens: TokenTable, row: int) -> int:
    """The nearest row at or before ``row`` that is not a line break."""
    while row > 0 and tokens.pos[row] == "SPACE":
        row -= 1
    return row


def _near(edges: Sequence[int], offset: int) -> bool:
    """Whether ``offset`` lies within `TAG_REACH` of a quote's start or end."""
    k = bisect.bisect_left(edges, offset)
    return any(0 <= j < len(edges) and abs(edges[j] - offset) <= TAG_REACH for j in (k - 1, k))


_MOTION = frozenset(
    "go come return drive move walk run travel fly head back home way get arrive move".split()
)


#: Verbs of staying: "at" after them names a place ("dined at Netherfield").
_STAYING = frozenset("stay live dine remain reside stop sleep settle arrive".split())


def _at_place(tokens: TokenTable, first: int) -> bool:
    """ "at" after a noun, "be" or a verb of staying ("a week at Longbourn", "were
    at Longbourn", "dined at Netherfield") names a place; after other verbs and
    adjectives, someone ("smiled at Harry", "angry at Ron")."""
    if first < 2 or tokens.words[first - 1].lower() != "at":
        return False
    return tokens.pos[first - 2] in ("NOUN", "AUX") or tokens.lemmas[first - 2].lower() in _STAYING


def _place_context(tokens: TokenTable, first: int) -> bool:
    """ "in Sunnydale", "from Rome", "went to LA", "a week at Longbourn": a place, not a person."""
    prev = tokens.words[first - 1].lower() if first > 0 else ""
    if prev in _PLACE_PREPOSITIONS or _at_place(tokens, first):
        return True
    return prev == "to" and first > 1 and tokens.lemmas[first - 2].lower() in _MOTION


def _names_a_place(tokens: TokenTable, last: int) -> bool:
    """ "Saint Saviour's Church", "Guy's Hospital": a name that owns a capitalised
    place word names the place; "Harry's house" is a person's."""
    k = last + 1
    return (
        k + 1 < len(tokens)
        and tokens.words[k] in ("'s", "’s")
        and tokens.words[k + 1][:1].isupper()
        and tokens.words[k + 1].lower() in _PLACE_HEADS
    )


def _thing_vote(ents: Sequence[str]) -> float:
    """How much NER's labels say "not a person": places count fully; the small
    model's FAC/PRODUCT/ORG labels on unusual names (Edmund as a FAC) barely."""
    if any(e in _PLACES for e in ents):
        return 1.0
    return 0.3 if any(e in _NON_PERSON for e in ents) else 0.0


def _drop_nested(spans: list[NameSpan]) -> list[NameSpan]:
    kept: list[NameSpan] = []
    for s in spans:
        if kept and s.start < kept[-1].end:
            continue
        kept.append(s)
    return kept


def collect_forms(text: str, spans: Iterable[NameSpan]) -> dict[tuple[str | None, tuple[str, ...]], Form]:
    forms: dict[tuple[str | None, tuple[str, ...]], Form] = {}
    for s in spans:
        form = forms.setdefault((s.title, s.parts), Form(s.title, s.parts))
        form.spans.append(s)
        form.surfaces[" ".join(text[s.start : s.end].replace("_", " ").split())] += 1
    return forms


def _lowercase_counts(text: str, words: set[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for m in re.finditer(r"\b[a-z][a-z']*\b", text):
        w = m.group()
        if w in words:
            counts[w] += 1
    return counts


_ROMAN = re.compile(r"^[ivxlcdm]+$")


def keep_form(
    form: Form,
    lower: Counter[str],
    name_parts: set[str],
    declared: frozenset[str] = frozenset(),
    short: bool = False,
    people: frozenset[str] = frozenset(),
    called: frozenset[str] = frozenset(),
    firsts: frozenset[str] = frozenset(),
    surnames: frozenset[str] = frozenset(),
    places: frozenset[str] = frozenset(),
) -> bool:
    """Is this form a person's name? NER votes, titles, and how the word is used.
    ``declared`` holds names the text vouches for: POV headers ("Spike's POV"),
    a first-person narrator's "Mom" (`kin_name_spans`);
    ``people``, first names that elsewhere name someone ("Naruto"), whose
    full name ("Naruto Uzumaki", met once) is a person's too; ``called``, one-word
    names called or speaking elsewhere, which make a full name they end a
    person's ("Bellamy Blake", met once, and "Blake" called); ``firsts``, the
    given names that open a full name in the text ("Lydia" of "Lydia Martin"),
    and the names of characters the work's tags or its fandom know, which are
    a person's whatever NER calls them; ``surnames``, the last names
    of full names and of titled names ("Bast", "Elton"); ``places``, the
    names of places named in full ("Blodgett" of "Blodgett College")."""
    last = form.parts[-1]
    if form.parts[0] in declared:
        return True
    if _ROMAN.match(last) and len(form.parts) == 1:
        return False  # a chapter number
    if last.endswith("s") and (last[:-1] in name_parts or (last.endswith("es") and last[:-2] in name_parts)):
        return False  # a family: "the Martins", "the Knightleys", "the Wilcoxes"
    if _place_name(form):
        return False  # a place: "Longbourn House", but not "Gregory House"
    person = sum(s.person_votes for s in form.spans)
    other = sum(s.other_votes for s in form.spans)
    speaks = sum(s.speech_subject for s in form.spans)
    # NER's place/organisation votes are noisy on unusual names ("Izuku" as a
    # GPE): a title or speaking outweighs them, and so, less, does being called
    # ("Kacchan, wait!") or acting as a subject ("Izuku closed his notebook").
    calls = sum(s.called for s in form.spans)
    agency = 0.5 * sum(s.agent for s in form.spans)
    # A given name that speaks counts twice: "said Charlotte" (Mrs. Palmer,
    # whom NER takes for the city, 24 times in 24), not "India" (140 uses).
    human = (
        person
        + (10 if last in given_names() else 5) * speaks
        + CALL_WEIGHT * calls
        + 2 * sum(s.sentient for s in form.spans)
        + agency
        + (form.count if form.title not in (None, "the") or last in firsts else 0)
    )
    if form.title != "the" and other > human and other >= 0.5 * form.count:
        return False  # at least half its uses look like a place or a thing
    if form.title is None and 2 * sum(s.article for s in form.spans) >= form.count:
        return False
    if (
        form.title is None
        and not (speaks or calls)
        and 10 * other >= 3 * form.count
        and other > 2 * (person + agency)
        and form.parts[0] not in given_names()
        and not (len(form.parts) > 1 and form.parts[-1] in called)
    ):
        # Never speaking nor called, and read as a place far more than as anyone:
        # "Enscombe could not spare him" is the household, "Sleepy Hollow" the valley.
        return False
    if form.title == "the":
        # "the Hatter" is a character only if it speaks; "the Osprey" never does.
        return form.count >= 2 and (speaks >= 2 or (speaks == 1 and other <= person + 1))
    if form.title is not None:
        return True
    mid = sum(1 for s in form.spans if not s.sentence_initial)
    coined = all(lower[p] == 0 for p in form.parts)  # no part is a common word of the text
    if len(form.parts) == 1:
        word = form.parts[0]
        known = word in surnames or word in firsts
        # The first name of a full name in the text, as a subject, is theirs,
        # though the word is met in lower case too, if not more often than
        # capitalised ("Rose rose from her seat", "Rose blinked", of Rose Tyler;
        # not "My" of "My Lord", nor "Summer" of "Summer Street").
        owned = word in firsts and agency > 0 and lower[word] <= form.count
        # A word used in lower case more than capitalised is a common word.
        if not owned and lower[word] > 2 * mid and person < max(2, form.count // 2):
            return False
        if not owned and mid == 0 and person == 0 and lower[word] > 0:
            return False  # only ever capitalised at a sentence start: a common word
        if len(word) >= 7 and word.endswith("men"):
            return False  # a people or a crowd: "Englishmen", "Gentlemen"
        if word in _PLACE_HEADS and not known:
            return False  # "End" of Howards End, "Avenue", "Lane": part of a place's name
        if word in places and not known and not (speaks or calls):
            return False  # "Blodgett" of Blodgett College: the place, for short
        inert = not (speaks or calls or agency)
        if not short and inert and 2 * person < form.count and not known:
            # In a novel, a word that never acts, speaks or is called, and that NER
            # mostly does not take for a person, is a thing, a people or an idea
            # ("Oriental", "Democracy", "Prejudice"), not a character.
            return False
    return (
        form.count >= 2
        or speaks >= 1
        or last in firsts
        or any(s.called for s in form.spans)
        or (len(form.parts) >= 2 and (person >= 1 or form.parts[0] in people))
        # A full name ending in a name called elsewhere ("Bellamy Blake" met
        # once, "Blake" called), unless it reads as a place or an elided word
        # opens it ("'Tis Crawford").
        or (
            len(form.parts) >= 2
            and form.parts[-1] in called
            and 2 * other < form.count
            and form.parts[0] not in _ELISIONS
        )
        # In a short work a name met once as a subject is a character ("Emily
        # appeared in the doorway"), when the given-name table says it is a
        # person's, or NER does and it opens its sentence ("Castiel appeared";
        # not "arguing about whether Quidditch counted"), or it is a full name
        # of words the text never writes in lower case ("Ahsoka Tano leaned in
        # the doorway", which NER took for an organisation; not "New York");
        # in a novel it is more often a passing reference.
        or (
            short
            and any(
                s.agent
                and (
                    last in given_names()
                    or (s.sentence_initial and (person >= 1 or (len(form.parts) >= 2 and coined)))
                )
                for s in form.spans
            )
        )
    )


def _place_name(form: Form) -> bool:
    """Whether a name is a place's: a place word ending it and no title or
    given name opening it ("Longbourn House", "Blodgett College", not "Gregory House")."""
    return (
        form.title is None
        and len(form.parts) >= 2
        and form.parts[-1] in _PLACE_HEADS
        and form.parts[0] not in given_names()
    )


def _gender(title: str | None) -> str | None:
    """The title's gender group: "m", "f" (unmarried or unmarked), "mrs", or None."""
    return _TITLE_GROUP.get(title) if title else None


def _same_title(a: str | None, b: str | None) -> bool:
    """Titles that name the same person with the same surname: equal, or of one
    gender group (Mrs./Madame); "Dr. Grant" is not "Mrs. Grant"."""
    if a is None or b is None:
        return False
    return a == b or (_gender(a) is not None and _gender(a) == _gender(b))


#: Two names closer than this many characters in one sentence are two people.
MEET_DISTANCE = 60


@dataclass(slots=True)
class _Cluster:
    forms: list[Form]

    @property
    def count(self) -> int:
        return sum(f.count for f in self.forms)

    @property
    def full(self) -> tuple[str, ...]:
        return max((f.parts for f in self.forms), key=len)

    @property
    def always_titled(self) -> bool:
        return all(f.title is not None and f.title != "the" for f in self.forms)

    @property
    def genders(self) -> set[str]:
        return {g for f in self.forms if (g := _gender(f.title))}

    def accepts_title(self, title: str | None) -> bool:
        g = _gender(title)
        if g is None:
            return True
        # A first name borne almost only by one sex ("Jane Bennet") refuses the
        # other's title ("Mr. Bennet" is her father), as the titles it has do.
        sex = given_names().get(self.full[0]) if len(self.full) > 1 else None
        if sex is not None and (sex == "he") != (g == "m"):
            return False
        return not self.genders or self.genders == {g}

    def suits_name(self, form: Form) -> bool:
        """Whether an untitled full name fits this character's titles: a first
        name borne almost only by men ("John Dashwood") is not a Mrs. or a Miss."""
        sex = given_names().get(form.parts[0]) if form.title is None and len(form.parts) > 1 else None
        return sex is None or not self.genders or ("m" in self.genders) == (sex == "he")

    def meets(self, form: Form, bare: bool = True) -> bool:
        """Whether the form and this character are named side by side in one
        sentence ("Mr. Knightley and Mr. John Knightley came in"): then they are
        two people. Far apart, one sentence may well name one person twice
        ("This was Adela Quested, … whom Miss Quested would marry"). With
        ``bare`` False a bare first name does not count: "Miss Anne" beside
        "Anne" is one woman named twice."""
        near = {(s.sentence, s.start // MEET_DISTANCE) for s in form.spans if s.sentence >= 0}
        near |= {(s, b + d) for s, b in near for d in (-1, 1)}
        # Only forms sharing its last name count: "Emma" beside "Miss Woodhouse"
        # in one sentence is dialogue and narration, not two Woodhouses.
        return any(
            (s.sentence, s.start // MEET_DISTANCE) in near
            for f in self.forms
            if f.parts[-1] == form.parts[-1] and (bare or f.title is not None or len(f.parts) > 1)
            for s in f.spans
        )


#: How often a titled full name ("Captain Frederick Wentworth", "Mr. William
#: Sikes") may be used and still be only the formal, occasional name of the
#: titled surname's bearer; "Mr. John Knightley", used 30 times, is a brother's.
INTRODUCTION_MAX = 5
#: How often a woman must be "Miss" with her given name ("Miss Marianne") to be a
#: younger daughter, whom "Miss" with the surname does not name.
YOUNGER_SISTER_MIN = 2
#: How much more often the likeliest owner of a shared first name must be
#: named in full than the next ("Tom" is Tom Bertram, not Tom Oliver).
DOMINANCE = 3
#: How many times more often than by his full name a man must be called by his
#: bare surname for his first name, alone, to be taken for someone else's.
SURNAME_CALLED = 5
#: How often a name must follow "young" ("young Tom") to be a junior's.
JUNIOR_MIN = 2
#: "young Tom", "old Mr. Emerson": an age that tells two namesakes apart.
_AGE_BEFORE = re.compile(r"\b(young|younger|old|elder)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Namesakes:
    """What the text's "young" and "old" say of shared names."""

    #: First names called "young" (``JUNIOR_MIN`` times): a junior's, not the
    #: elder's whose full name they open ("young Tom", Mr. Thomas Gradgrind's son).
    juniors: frozenset[str] = frozenset()
    #: Titled names called both "old" and "young" ("old Mr. Emerson", "young Mr.
    #: Emerson"): two men, so the bare title and surname joins neither full name.
    shared: frozenset[tuple[str | None, str]] = frozenset()


def find_namesakes(text: str, forms: Iterable[Form]) -> Namesakes:
    """How often each one-word form follows "young" or "old" in the text."""
    uses: Counter[tuple[str, str | None, str]] = Counter()
    for f in forms:
        if len(f.parts) == 1:
            for s in f.spans:
                if m := _AGE_BEFORE.search(text, max(0, s.start - 8), s.start):
                    age = "young" if m.group(1).lower().startswith("young") else "old"
                    uses[age, f.title, f.parts[0]] += 1
    young: Counter[str] = Counter()
    for (age, _, word), n in uses.items():
        if age == "young":
            young[word] += n
    shared = {
        (title, word)
        for (age, title, word), n in uses.items()
        if age == "old"
        and title is not None
        and n + uses["young", title, word] >= JUNIOR_MIN
        and uses["young", title, word]
    }
    return Namesakes(frozenset(w for w, n in young.items() if n >= JUNIOR_MIN), frozenset(shared))


def _elder_namesake(cluster: _Cluster, word: str) -> bool:
    """Whether the cluster is a man titled by his full name whose first name is
    the word or its formal form ("Mr. Thomas Gradgrind" for "Tom")."""
    return any(
        _gender(f.title) == "m"
        and len(f.parts) > 1
        and (word == f.parts[0] or _nickname_pair(word, f.parts[0]))
        for f in cluster.forms
    )


def _dominant(clusters: Sequence[_Cluster]) -> _Cluster | None:
    """The one cluster, or the one named far more often than any other."""
    if len(clusters) <= 1:
        return clusters[0] if clusters else None
    first, second = sorted(clusters, key=lambda c: -c.count)[:2]
    return first if first.count >= DOMINANCE * max(second.count, 1) else None


def cluster_forms(
    forms: Sequence[Form], namesakes: Namesakes = Namesakes(), relations: frozenset[str] = frozenset()
) -> list[list[Form]]:
    """Merge name forms into characters, as a reader would. ``namesakes``: what
    "young" and "old" say of names two people share; ``relations``: nouns that
    name someone's tie (see `relation_nouns`).

    1. Full names (two or more parts) are characters; "Mr. John Knightley"
       and "John Knightley" are one, "Mrs. John Knightley" another.
    2. A bare first name joins the one full name it begins (or, through the
       nickname table, the one whose first name it shortens); when several
       begin with it, the one named far more often than the others.
    3. A title with a surname ("Miss Quested") joins the one full name with
       that surname and a compatible title ("Adela Quested"), unless that full
       name carries the same title and is far rarer: then it is someone else
       (Mr. Knightley vs his brother Mr. John Knightley).
    4. A bare surname joins the titled form of it (the man first, as fiction
       uses bare surnames for men), else the one full name ending in it.
    Anything ambiguous stays a character of its own: splitting one person in
    two costs less than merging two people into one.
    """
    nick = nicknames()
    names = given_names()
    clusters: list[_Cluster] = []
    multi = sorted((f for f in forms if len(f.parts) > 1), key=lambda f: (f.title is None, -f.count))
    for form in multi:
        same = [c for c in clusters if c.full == form.parts and c.accepts_title(form.title)]
        extends = [
            c
            for c in clusters
            if not same
            and len(c.full) > len(form.parts)
            and c.full[0] == form.parts[0]
            and c.full[-1] == form.parts[-1]
            and c.accepts_title(form.title)
        ]
        # "John Dashwood" is Mr., not Mrs. John Dashwood (his wife, by his name).
        target = [c for c in same or extends if c.suits_name(form)]
        if len(target) >= 1 and (len(target) == 1 or form.title is None):
            max(target, key=lambda c: c.count).forms.append(form)
        else:
            clusters.append(_Cluster([form]))
    _join_nickname_full_names(clusters)
    singles = [f for f in forms if len(f.parts) == 1]
    bare = sorted((f for f in singles if f.title is None), key=lambda f: -f.count)
    # Gendered titles first, so that "Inspector Ratcliffe" finds the "Mr. Ratcliffe"
    # of the text however often either is used (see step 3).
    titled = sorted(
        (f for f in singles if f.title is not None), key=lambda f: (f.title in NEUTRAL_TITLES, -f.count)
    )
    full_clusters = list(clusters)
    given_miss = Counter({f.parts[0]: f.count for f in singles if f.title == "miss"})
    # Uses of a word that is no given name with a title that stands before a
    # surname, not a given name ("Miss Elizabeth", "Sir William", "the Major").
    titled_uses: Counter[str] = Counter()
    for f in titled:
        if f.title != "the" and f.title not in GIVEN_NAME_TITLES and f.parts[0] not in names:
            titled_uses[f.parts[0]] += f.count
    pending: list[Form] = []
    bare_uses = Counter({f.parts[0]: f.count for f in bare})
    for form in bare:  # 2. first names
        word = form.parts[0]
        formal = (word, *nick.get(word, ()))
        # An exact first name first ("Tom" → Tom Bertram), then through the
        # nickname table ("Tom" → Thomas) only if no exact one exists.
        # Nor a name only ever written with a title ("Lady Catherine de Bourgh"):
        # the bare "Catherine" of the text is someone else (Kitty Bennet).
        plain = [c for c in full_clusters if c.full[-1] not in _SPOUSE_SUFFIXES and not c.always_titled]
        firsts = [c for c in plain if c.full[0] == word] or [c for c in plain if c.full[0] in formal]
        # Not a man the narration calls by his surname ("Beaver", 125 times, and
        # "John Beaver" 12): "John" is the John Andrew named by his given names
        # as often (not a William Cowper quoted once, beside William Rodney).
        given = [c for c in firsts if bare_uses[c.full[-1]] < SURNAME_CALLED * c.count]
        if given and sum(c.count for c in given) * 2 >= sum(c.count for c in firsts):
            firsts = given
        # A full name ending in the word makes it likelier a surname, unless
        # the first-name owner is named far more often. Only a full name that
        # reads as one counts: a given name or a title before the word, not
        # "Somehow Anne" or a dialect "Madamsell Adela".
        as_surname = sum(
            c.count for c in full_clusters if c.full[-1] == word and (c.full[0] in names or c.genders)
        )
        owner = _dominant(firsts)
        # A surname borne with a title ("Colonel Fitzwilliam", thirty times)
        # far more often than the owner is named in full with it as a first
        # name ("Fitzwilliam Darcy", once): the bare word is the surname's.
        in_full = sum(f.count for f in owner.forms if f.parts[0] == word) if owner else 0
        # "young Tom" is not the Mr. Thomas Gradgrind whose full name is Tom's too.
        junior = word in namesakes.juniors and owner is not None and _elder_namesake(owner, word)
        if junior or (owner is not None and titled_uses[word] >= DOMINANCE * max(in_full, 1)):
            pending.append(form)
        elif owner is not None and owner.count >= DOMINANCE * as_surname:
            owner.forms.append(form)
        else:
            pending.append(form)
    for form in titled:  # 3. title + surname
        word = form.parts[0]
        same_title = [
            c
            for c in clusters
            if any(f.parts == form.parts and _same_title(f.title, form.title) for f in c.forms)
        ]
        if not same_title and form.title in NEUTRAL_TITLES:
            # "Doctor Losberne" is the Mr. Losberne of the text, when there is one.
            # Not a man with a full name: "Admiral Crawford" is Henry Crawford's uncle.
            same_title = [
                c
                for c in clusters
                if len(c.full) == 1
                and any(f.parts == form.parts and _gender(f.title) == "m" for f in c.forms)
            ]
        if len(same_title) == 1:
            same_title[0].forms.append(form)
            continue
        if (form.title, word) in namesakes.shared:
            clusters.append(_Cluster([form]))
            continue
        cands = [
            c
            for c in full_clusters
            if c.full[-1] == word and c.accepts_title(form.title) and not c.meets(form)
        ]
        # Only a full name that reads as one: not "Twice Syme" of a sentence's start,
        # nor, for "Sir Walter", the "Modest Sir Walter" of an exclamation when a
        # full name begins with the word ("Sir Walter Elliot").
        named = [c for c in cands if c.full[0] in names or c.genders]
        opens = form.title in GIVEN_NAME_TITLES and any(c.full[0] == word for c in full_clusters)
        cands = named if named or opens else cands
        if _gender(form.title) == "mrs":
            # "Mrs. Herriton" is rarely the Philip or Harriet Herriton of a full name.
            cands = [c for c in cands if "mrs" in c.genders]
        elif form.title == "miss":
            # A woman called "Miss Marianne" is a younger daughter: "Miss Dashwood",
            # the eldest's name, is her sister (Elinor), not her.
            cands = [c for c in cands if given_miss[c.full[0]] < YOUNGER_SISTER_MIN]
        if not cands and form.title in GIVEN_NAME_TITLES:
            # "Miss Elizabeth", "Sir William", "Lady Catherine": a title before a
            # given name, no surname. It joins the one full name that name opens,
            # the one already bearing that title first.
            firsts = [
                c
                for c in full_clusters
                if c.full[0] == word and c.accepts_title(form.title) and not c.meets(form, bare=False)
            ]
            firsts = [c for c in firsts if any(f.title == form.title for f in c.forms)] or firsts
            if (first := _dominant(firsts)) is not None:
                first.forms.append(form)
                continue
        # The same title with the full name, used as a name of its own ("Mr. John
        # Knightley"), not now and then in full ("Captain Frederick Wentworth").
        # A woman's own given name in it ("Mrs. Rachel Lynde") makes it hers, not
        # another Mrs. Lynde's by her husband's name ("Mrs. John Knightley").
        same_titled = len(cands) == 1 and any(
            f.title == form.title
            and f.count >= INTRODUCTION_MAX + 1
            and not (f.title == "mrs" and names.get(f.parts[0]) == "she")
            for f in cands[0].forms
        )
        if len(cands) == 1 and (
            not same_titled
            or (
                form.count <= 4 * sum(f.count for f in cands[0].forms if len(f.parts) > 1)
                and not cands[0].meets(form)
            )
        ):
            cands[0].forms.append(form)
        else:
            clusters.append(_Cluster([form]))
    for form in pending:  # 4. bare surnames and lone names
        word = form.parts[0]
        # "Darcy" joins "Mr. Darcy"; not "Catherine" the "Lady Catherine" of a
        # Lady Catherine de Bourgh, whose title stands before a given name.
        titled_here = [
            c
            for c in clusters
            if any(f.title and f.title != "the" and f.parts == (word,) for f in c.forms)
            and not (len(c.full) > 1 and c.full[0] == word)
        ]
        if titled_here:
            men = [c for c in titled_here if "m" in c.genders]
            max(men or titled_here, key=lambda c: c.count).forms.append(form)
            continue
        lasts = [c for c in full_clusters if c.full[-1] == word]
        if len(lasts) == 1:
            lasts[0].forms.append(form)
        else:
            clusters.append(_Cluster([form]))
    _join_nicknames(clusters)
    _join_title_descriptions(clusters, relations)
    return [c.forms for c in clusters]


def _join_nickname_full_names(clusters: list[_Cluster]) -> None:
    """1b. "Bill Sikes" and "Mr. William Sikes" are one man: a full name joins
    the one other full name of its surname whose first name the nickname table
    gives as its formal form, before the surname ("Mr. Sikes") has to choose."""
    for small in sorted(clusters, key=lambda c: c.count):
        if len(small.full) != 2:
            continue
        first, last = small.full
        targets = [
            c
            for c in clusters
            if c is not small
            and len(c.full) == 2
            and c.full[1] == last
            and _nickname_pair(first, c.full[0])
            and (not c.genders or not small.genders or c.genders == small.genders)
        ]
        if len(targets) == 1:
            targets[0].forms.extend(small.forms)
            clusters.remove(small)


#: The spellings of a title as it stands before a surname ("Dr. Bauerstein" is "the doctor").
_TITLE_SPELLINGS = {
    "doctor": ("doctor", "dr"),
    "professor": ("professor", "prof"),
    "captain": ("captain", "capt"),
    "colonel": ("colonel", "col"),
    "lieutenant": ("lieutenant", "lt"),
    "reverend": ("reverend", "rev"),
}


def _join_title_descriptions(clusters: list[_Cluster], relations: frozenset[str] = frozenset()) -> None:
    """6. A title used as a description ("said the Major", "the doctor") joins
    the one character who bears that title by name ("Major Callendar"), named
    twice at least, or the one named far more often than any other (Major
    Callendar, forty times, beside Major Roberts, twice); with two Majors named
    about as often, or none ("the Doctor" of Doctor Who), it stays a character
    of its own. A rank of the peerage is one person's at a time: with two
    duchesses named, each "the duchess" is the one named last before it."""
    for small in list(clusters):
        nouns = {f.parts[0] for f in small.forms if len(f.parts) == 1}
        if len(nouns) != 1 or not _described_only(small.forms):
            continue
        noun = nouns.pop()
        # "the master" of "his master" is someone's master, not Master Oliver.
        if noun not in TITLES or noun in relations:
            continue
        spellings = _TITLE_SPELLINGS.get(noun, (noun,))
        bearers = [c for c in clusters if c is not small and any(f.title in spellings for f in c.forms)]
        owner = _dominant([c for c in bearers if c.count >= 2])
        if owner is None and len(bearers) == 1 and noun in _PEER_RANKS:
            # "the Duchess of Monmouth", named once, is "the duchess" after.
            owner = bearers[0]
        if owner is not None:
            owner.forms.extend(small.forms)
            clusters.remove(small)
        elif len(bearers) > 1 and noun in _PEER_RANKS:
            _share_by_recency(small, bearers)
            clusters.remove(small)


def _share_by_recency(small: _Cluster, bearers: Sequence[_Cluster]) -> None:
    """Give each use of a title's description to the bearer named last before
    it, as a reader does: "the duchess" of chapter 3 is the Duchess of Harley,
    that of chapter 17 the Duchess of Monmouth."""
    named = sorted((s.start, i) for i, c in enumerate(bearers) for f in c.forms for s in f.spans)
    starts = [start for start, _ in named]
    for f in small.forms:
        shares: dict[int, list[NameSpan]] = defaultdict(list)
        for s in f.spans:
            last = bisect.bisect_right(starts, s.start) - 1
            shares[named[max(last, 0)][1]].append(s)
        surface = f.surfaces.most_common(1)[0][0]
        for i, spans in shares.items():
            bearers[i].forms.append(Form(f.title, f.parts, spans, Counter({surface: len(spans)})))


#: Endings that make a pet form of a name (Sam → Sammy, Buck → Bucky, Dan → Danny).
_DIMINUTIVE = ("y", "ie", "ey", "my", "ny", "sy", "ty", "dy", "by")


def _nickname_pair(a: str, b: str) -> bool:
    """Whether the nickname table gives one name as the other's formal or short form."""
    nick = nicknames()
    return b in nick.get(a, ()) or a in nick.get(b, ())


def _pet_forms(a: str, b: str) -> bool:
    """Whether one name is the other's short or pet form, by the nickname table
    ("Cas" for Castiel, "Meg" for Margaret) or by a diminutive ending ("Sammy")."""
    if _nickname_pair(a, b):
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 3 and any(long_ == short + end for end in _DIMINUTIVE)


#: The shortest clipped name taken for a longer one ("Bell" for Bellamy; not "Al").
CLIPPED_MIN = 3


def _join_nicknames(clusters: list[_Cluster]) -> None:
    """5. A character known only by a bare name joins the one bigger character
    whose first name is its short or pet form, or whose short form it is:
    "Cas" and "Castiel", "Sammy" and "Sam", and a name only ever called that
    begins a longer one ("Bell" and "Bellamy"); not when two characters fit,
    nor two names met side by side in one sentence. Between two names met equally
    often, the longer is the one joined ("Gin" joins "Ginny")."""
    for small in sorted(clusters, key=lambda c: c.count):
        if any(len(f.parts) > 1 or f.title is not None for f in small.forms):
            continue
        words = {f.parts[0] for f in small.forms}
        size = (small.count, max(len(w) for w in words))
        # Only ever called, never narrated: a clipped name ("Bell, she's telling
        # the truth" for Bellamy), not someone else who shares its letters.
        calls_only = all(s.called for f in small.forms for s in f.spans)
        targets = [
            c
            for c in clusters
            if c is not small
            and (c.count, len(c.full[0])) > size
            # "Kitty" is not Lady Catherine, a name only ever written with its title.
            and not c.always_titled
            and any(
                w == c.full[0]
                or _pet_forms(w, c.full[0])
                or (calls_only and len(w) >= CLIPPED_MIN and c.full[0].startswith(w))
                for w in words
            )
            and not any(c.meets(f) for f in small.forms)
        ]
        if len(targets) == 1:
            targets[0].forms.extend(small.forms)
            clusters.remove(small)


def canonical_name(forms: Sequence[Form]) -> str:
    """The fullest common form: the longest name used at least twice (or the
    most frequent when every long form is rare), as written in the text; a
    description ("the vampire") only when the character has no name."""
    # Among the names, when there are any: learned epithets ("the blond") do not
    # make a full name met once ("Draco Malfoy") rare.
    names = [f for f in forms if f.title != "the"] or list(forms)
    total = sum(f.count for f in names)
    common = [f for f in names if f.count >= 2 or f.count * 10 >= total] or names
    # A name before a description ("Spike", not "the vampire"), then the fullest.
    best = max(common, key=lambda f: (f.title != "the", len(f.parts), f.count))
    # As the narration writes it, not as a letter's signature or a shout does
    # ("JOHN WILLOUGHBY"), and without an honorific suffix ("Kakashi", not "Kakashi-sensei").
    ranked = sorted(
        best.surfaces.items(), key=lambda kv: (kv[0].isupper(), bool(_SUFFIX_RE.search(kv[0])), -kv[1])
    )
    return ranked[0][0]


#: What the text says between two names that are one person: "Spike, whose
#: real name was William", "William, better known as Spike", "Dru, a.k.a.
#: Drusilla", "Spike's real name was William".
_IDENTITY = re.compile(
    r"(?:,\s*|\s+\(?)(?:whose\s+(?:real\s+|true\s+|full\s+|given\s+)?name\s+(?:was|is)"
    r"|(?:better\s+|also\s+|otherwise\s+)?known\s+as|(?:also\s+)?nicknamed|a\.?k\.?a\.?|alias"
    r"|née|nee|born)\s+"
    r"|['’]s\s+(?:real\s+|true\s+|full\s+|given\s+)?name\s+(?:was|is)\s+",
    re.IGNORECASE,
)
#: How far apart (in characters) the two names of an identity statement may be.
_IDENTITY_REACH = 40


#: A description in apposition after a name: ", the [adjectives] noun" ("Mr.
#: Sowerberry, the parochial undertaker.", "Mrs. Corney, the matron of the workhouse").
_APPOSITION = re.compile(r",\s+the((?:\s+[a-z]+){1,3})\b")


def _apposed_noun(text: str, end: int, described: dict[str, NameSpan]) -> str | None:
    """The noun of a description character that stands in apposition right after ``end``."""
    m = _APPOSITION.match(text, end)
    if m is None:
        return None
    for w in re.finditer(r"[a-z]+", m.group(1)):
        word = w.group()
        if word in described:
            # "Geoffrey Clouston, the duchess's brother" is not the duchess, nor
            # is Fielding "the servant Antony" of a list ("Fielding, the servant
            # Antony, the Nawab Bahadur").
            after = m.start(1) + w.end()
            return None if re.match(r"(?:['’]| s\b|\s+[A-Z])", text[after : after + 3]) else word
        if word in _APPOSITION_STOPS:
            break
    return None


#: Words that end the modifiers of an apposed description ("the man who saw the doctor").
_APPOSITION_STOPS = frozenset("of who whom whose that which and or with in to at by for from as".split())


def identity_links(text: str, spans: Sequence[NameSpan]) -> list[tuple[NameSpan, NameSpan]]:
    """Pairs of name occurrences the text says are one person: an identity
    statement, or a description in apposition to a name ("Spike, the
    vampire," → "said the vampire" is Spike) when the text gives that
    description to no one else."""
    ordered = sorted(spans, key=lambda s: s.start)
    out = []
    epithets: dict[tuple[str, ...], list[tuple[NameSpan, NameSpan]]] = {}
    # "the vampire", not "the Slayer" or "the King": a title is someone's name.
    described = {
        s.parts[-1]: s
        for s in ordered
        if s.title == "the" and len(s.parts) == 1 and text[s.start + 4 : s.start + 5].islower()
    }
    for a, b in pairwise(ordered):
        if 0 < b.start - a.end <= _IDENTITY_REACH and _IDENTITY.fullmatch(text, a.end, b.start):
            out.append((a, b))
        elif (
            a.title != "the"
            # Not a list: "Mr. Brittles, Mr. Giles, the tinker".
            and not text[max(0, a.start - 3) : a.start].rstrip().endswith(",")
            and (noun := _apposed_noun(text, a.end, described)) is not None
        ):
            epithets.setdefault((noun,), []).append((a, described[noun]))
    for pairs in epithets.values():
        if len({a.parts for a, _ in pairs}) == 1:
            out.extend(pairs)
    return out


def merge_identities(
    clusters: list[list[Form]],
    links: Sequence[tuple[NameSpan, NameSpan]],
    forms: dict[tuple[str | None, tuple[str, ...]], Form],
) -> list[list[Form]]:
    """Join the characters an identity statement names twice; a name met only
    there ("whose real name was William") joins its character as an alias."""
    owner = {id(f): c for c in clusters for f in c}

    def position(cluster: list[Form]) -> int:
        return next(k for k, c in enumerate(clusters) if c is cluster)

    for a, b in links:
        fa, fb = forms[(a.title, a.parts)], forms[(b.title, b.parts)]
        ca, cb = owner.get(id(fa)), owner.get(id(fb))
        if ca is cb:  # one character already, or neither kept
            continue
        if ca is None or cb is None:
            target, moved = (cb, [fa]) if ca is None else (ca, [fb])
        else:
            # The one listed first keeps the other's forms after its own.
            target, drop = (ca, cb) if position(ca) < position(cb) else (cb, ca)
            moved = list(drop)
            del clusters[position(drop)]
        if target is not None:
            target.extend(moved)
            owner.update((id(f), target) for f in moved)
    return clusters


def _described_only(forms: Iterable[Form]) -> bool:
    """Whether a character is known only by descriptions ("the painter"), by no name."""
    return all(f.title == "the" for f in forms)


#: Sentences before a description in which its person's name is looked for.
EPITHET_REACH = 4
#: Uses a description needs before it is learned, and how many times likelier
#: than chance its person's name must be in reach.
EPITHET_USES = 5
EPITHET_LIFT = 3.0
#: Descriptions that stand for anyone, never learned as one person's epithet.
_GENERIC_NOUNS = frozenset(
    "man woman boy girl gentleman lady stranger other child person fellow people men women "
    "youth lad lass figure voice one".split()
)
#: Person nouns of one sex, and its pronoun set ("the girl" is a "she").
GENDERED_NOUNS = {
    **dict.fromkeys(lexicon("male_person_nouns"), "he"),
    **dict.fromkeys(lexicon("female_person_nouns"), "she"),
}


def join_epithets(clusters: list[list[Form]], relations: frozenset[str] = frozenset()) -> list[list[Form]]:
    """A description that is a character of its own ("said the painter") joins
    the named character it stands for, learned from where it is used: the one
    whose name the sentences just before it give far more often than that
    name's share of the text predicts (at least half its uses, and at least
    twice as surely as anyone else), who is never beside it in one sentence and
    whose sex does not contradict the noun's. "The man" and its kin stand for
    anyone and are never learned."""
    named = [c for c in clusters if not _described_only(c)]
    at: dict[int, set[int]] = defaultdict(set)
    for k, c in enumerate(named):
        for f in c:
            if f.title != "the":
                for sp in f.spans:
                    if sp.sentence >= 0:
                        at[sp.sentence].add(k)
    total = max(at, default=0) + 1
    reach: dict[int, set[int]] = defaultdict(set)
    for sentence, ks in at.items():
        for k in ks:
            reach[k].update(range(sentence + 1, sentence + EPITHET_REACH + 1))
    merged: set[int] = set()
    for d, desc in enumerate(clusters):
        nouns = {f.parts[-1] for f in desc}
        if not _described_only(desc) or len(nouns) != 1 or nouns & (_GENERIC_NOUNS | relations):
            continue
        uses = [sp.sentence for f in desc for sp in f.spans if sp.sentence >= 0]
        if len(uses) < EPITHET_USES:
            continue
        support: Counter[int] = Counter()
        beside: Counter[int] = Counter()
        for sentence in uses:
            support.update(
                set().union(*(at.get(t, set()) for t in range(sentence - EPITHET_REACH, sentence)))
            )
            beside.update(at.get(sentence, set()))
        sex = GENDERED_NOUNS.get(next(iter(nouns)))
        lift = {
            k: (n / len(uses)) / (len(reach[k]) / total)
            for k, n in support.items()
            if 2 * n >= len(uses)
            and 10 * beside[k] <= len(uses)
            and not (sex and _cluster_sex(named[k]) not in (None, sex))
        }
        ranked = sorted(lift.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= EPITHET_LIFT and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            named[ranked[0][0]].extend(desc)
            merged.add(d)
    return [c for d, c in enumerate(clusters) if d not in merged]


#: How often a noun must be someone's ("his master", "Fielding's servant"), and
#: at least half as often as it follows "the", to name a tie to a person, not
#: an epithet of theirs ("his captain", now and then, is still "the captain").
RELATION_MIN = 2
_OWNERS = frozenset(("his", "her", "their", "my", "your", "our"))


def relation_nouns(tokens: TokenTable) -> frozenset[str]:
    """Nouns the text gives owners ("his master" eighteen times in Oliver
    Twist, "the master" ten): a master is someone's, so "the master" after
    Oliver's name is his master, not Oliver."""
    owned: Counter[str] = Counter()
    the: Counter[str] = Counter()
    for row in range(1, len(tokens)):
        word = tokens.words[row]
        if not (word.islower() and tokens.pos[row] == "NOUN"):
            continue
        before = tokens.words[row - 1]
        if before.lower() in _OWNERS or before in ("'s", "’s"):
            owned[word] += 1
        elif before.lower() == "the":
            the[word] += 1
    return frozenset(w for w, n in owned.items() if n >= RELATION_MIN and 2 * n >= the[w])


#: Nouns a work uses as a person's epithet ("the blond", "the vampire", "the witch").
_EPITHET_NOUNS = lexicon("person_nouns") - _GENERIC_NOUNS
#: Verbs only someone does: an epithet their subject is a person's ("the Slytherin smirked").
_ANIMATE_VERBS = (
    SPEECH_VERBS
    | lexicon("focal_verbs")
    | frozenset(
        "smirk grin smile frown nod shrug sigh laugh glare roll blush scowl wince chuckle snort huff "
        "pout turn lean sit stand walk step shake kiss hug grab reach cross raise lift pull push".split()
    )
)
#: Times a subject epithet must follow its person's name before it is learned,
#: and at least one use in this many.
CONTINUITY_VOTES = 2
CONTINUITY_SHARE = 10


def continued_epithets(
    clusters: list[list[Form]],
    tokens: TokenTable,
    inside: SpanIndex[Quote],
    relations: frozenset[str] = frozenset(),
) -> list[list[Form]]:
    """Epithets learned from topic continuity, as fan fiction writes them:
    "Draco Malfoy was in the library. The blond didn't look up." An epithet
    ("the blond", "the Slytherin") that opens a sentence as its subject, right
    after a sentence of the same paragraph whose main subject is a named
    character in the narration, votes for that character (a capitalised one
    only when it does what only a person does: "the Slytherin smirked", not
    "the Burrow stood"). Across a paragraph break the epithet is as likely
    the other side of a conversation. One that wins at least
    two votes (and one for every ten uses) and two thirds of them, is named beside that character in at
    most a quarter of its uses and fits its sex becomes that character's
    alias: every "the blond" of the narration is then a mention of them, and
    a description character of the same words ("said the Slytherin") joins them."""
    named = [k for k, c in enumerate(clusters) if not _described_only(c)]
    spans = sorted(
        (sp.start, sp.end, k) for k in named for f in clusters[k] if f.title != "the" for sp in f.spans
    )
    starts = [x[0] for x in spans]

    def cluster_at(offset: int) -> int | None:
        i = bisect.bisect_right(starts, offset) - 1
        return spans[i][2] if i >= 0 and offset < spans[i][1] else None

    sentence = tokens.sentence
    root_subject: dict[int, tuple[int, int]] = {}  # sentence → (character, paragraph)
    beside: dict[int, set[int]] = defaultdict(set)
    for row in range(len(tokens)):
        k = cluster_at(int(tokens.start[row]))
        if k is None:
            continue
        beside[int(sentence[row])].add(k)
        if (
            tokens.deps[row] in ("nsubj", "nsubjpass")
            and tokens.deps[int(tokens.head[row])] == "ROOT"
            and int(tokens.start[row]) not in inside
        ):
            root_subject.setdefault(int(sentence[row]), (k, int(tokens.paragraph[row])))
    uses: dict[str, list[NameSpan]] = defaultdict(list)
    rows: dict[str, int] = {}  # a row of each epithet's word, for its surface
    votes: dict[str, Counter[int]] = defaultdict(Counter)
    against: dict[str, Counter[int]] = defaultdict(Counter)
    for row in range(1, len(tokens) - 1):
        key = _epithet_key(tokens, row)
        if key is None or int(tokens.start[row]) in inside:
            continue
        here = int(sentence[row])
        rows.setdefault(key, row)
        subject = tokens.deps[row] in ("nsubj", "nsubjpass")
        uses[key].append(
            NameSpan(
                int(tokens.start[row - 1]), int(tokens.end[row]), "the", (key,), sentence=here, agent=subject
            )
        )
        against[key].update(beside.get(here, ()))
        before = root_subject.get(here - 1)
        if (
            subject
            and tokens.words[row - 1] == "The"
            and before is not None
            and before[1] == int(tokens.paragraph[row])
            # A person noun is someone; a capitalised word ("the Burrow") must act as one.
            and (
                tokens.words[row].islower() or tokens.lemmas[int(tokens.head[row])].lower() in _ANIMATE_VERBS
            )
        ):
            votes[key][before[0]] += 1
    # A word that is already a name ("the Jew" of a character called Jew) is no epithet to learn.
    names = {p for k in named for f in clusters[k] for p in f.parts}
    owner_of: dict[int, list[str]] = defaultdict(list)
    for key, counts in votes.items():
        (k, n), *_ = counts.most_common(1)
        sex = GENDERED_NOUNS.get(key)
        if (
            key not in names
            and key not in relations
            and n >= max(CONTINUITY_VOTES, len(uses[key]) // CONTINUITY_SHARE)
            and 3 * n >= 2 * sum(counts.values())
            and 4 * against[key][k] <= len(uses[key])
            and not (sex and _cluster_sex(clusters[k]) not in (None, sex))
        ):
            owner_of[k].append(key)
    if not owner_of:
        return clusters
    learned = {key: k for k, keys in owner_of.items() for key in keys}
    gone: set[int] = set()
    for d, forms in enumerate(clusters):
        # A description character of the same words ("said the Slytherin") joins its owner.
        keys = {f.parts[-1] for f in forms if f.title == "the"}
        if d not in named and len(keys) == 1 and (only := keys.pop()) in learned:
            clusters[learned[only]].extend(forms)
            gone.add(d)
    for key, k in learned.items():
        taken = {sp.start for f in clusters[k] for sp in f.spans}
        new = [sp for sp in uses[key] if sp.start not in taken]
        if new:
            clusters[k].append(
                Form("the", (key,), new, Counter({f"the {tokens.words[rows[key]]}": len(new)}))
            )
    return [c for d, c in enumerate(clusters) if d not in gone]


def _epithet_key(tokens: TokenTable, row: int) -> str | None:
    """The epithet "the <word>" whose word stands at ``row``: a person noun
    ("the blond", "the witch") or a capitalised word ("the Slytherin") that is
    no title and opens no longer name; None for anything else."""
    if tokens.words[row - 1].lower() != "the" or tokens.sentence[row - 1] != tokens.sentence[row]:
        return None
    word = tokens.words[row]
    nxt = tokens.words[row + 1] if row + 1 < len(tokens) else ""
    if tokens.pos[row] not in ("NOUN", "PROPN", "ADJ") or (
        nxt[:1].isupper() and tokens.pos[row + 1] == "PROPN"
    ):
        return None
    key = word.lower()
    if word.islower():
        return key if key in _EPITHET_NOUNS else None
    return (
        key
        if word[:1].isupper() and word[1:].islower() and key not in TITLES and key not in _GENERIC_NOUNS
        else None
    )


def _cluster_sex(forms: Sequence[Form]) -> str | None:
    """ "he" or "she" from a character's titles, else from a given name borne by
    one sex; None when unknown."""
    sexes = {"he" if g == "m" else "she" for f in forms if (g := _gender(f.title))}
    if not sexes:
        sexes = {sex for f in forms if f.title is None and (sex := given_names().get(f.parts[0]))}
    return sexes.pop() if len(sexes) == 1 else None


#: Sentences back (a few lines of dialogue) a name may stand that "the man" is.
STAND_IN_REACH = 10


def _without_generic_stand_ins(
    clusters: list[list[Form]], tokens: TokenTable, inside: SpanIndex[Quote]
) -> list[list[Form]]:
    """Drop a character known only as "the man" (a short work's, see
    `nominal_spans`) when, at most of its uses, the narration has just named
    someone it may be: "Giles was cleaning his glasses. … "You're late," the
    man said" is Giles. Great Expectations' convict, whom the narration does
    not name near him and whose "I" is the narrator, stays "the man". Names are
    looked for word by word, as NER misses many ("Giles" as a plural noun)."""
    # Anyone's description ("the man"), not one that singles someone out.
    generic = [
        k
        for k, c in enumerate(clusters)
        if _described_only(c)
        and len({f.parts[-1] for f in c}) == 1
        and c[0].parts[-1] in _GENERIC_PEOPLE
        and not _singled(c[0].parts)
    ]
    if not generic:
        return clusters  # nearly every work: no token scan
    sex_of: dict[str, set[str | None]] = defaultdict(set)  # name word → sexes of who bears it
    for c in clusters:
        if not _described_only(c):
            sex = _cluster_sex(c)
            for f in c:
                if f.title != "the":
                    for part in f.parts:
                        sex_of[part].add(sex)
    by_sentence: dict[int, set[str | None]] = defaultdict(set)
    for row, word in enumerate(tokens.words):
        if _is_cap(word) and word.lower() in sex_of and int(tokens.start[row]) not in inside:
            by_sentence[int(tokens.sentence[row])] |= sex_of[word.lower()]

    def stand_in(c: list[Form]) -> bool:
        sex = GENDERED_NOUNS.get(c[0].parts[-1])
        uses = [sp.sentence for f in c for sp in f.spans if sp.sentence >= 0]
        named_near = sum(
            any(
                sex is None or other in (None, sex)
                for t in range(u - STAND_IN_REACH, u + 1)
                for other in by_sentence.get(t, ())
            )
            for u in uses
        )
        return 2 * named_near >= len(uses)

    gone = {k for k in generic if stand_in(clusters[k])}
    return [c for k, c in enumerate(clusters) if k not in gone]


#: What a family calls its own as a name: "Mom said", "Dad came in", "Sorry, Mom."
_KIN_NAMES = PARENTS | frozenset("ma pa grandma grandpa granny gran nana".split())
#: Words before a kin word that make it a description, not a name ("my mom", "the father").
_KIN_OWNERS = _OWNERS | frozenset("its the a an".split())


def kin_name_spans(tokens: TokenTable, inside: SpanIndex[Quote]) -> list[NameSpan]:
    """ "Mom" and "Dad" as names of a first-person narrator's family: every
    capitalised kin word with no owner before it ("my mom" is a description)
    and no name after it ("Father Brown" is a title), once the narration uses
    the word so ("Dad came in first, then Mom."): as a common noun it would be
    "my mom" or "the father". Calls inside quotes ("Sorry, Mom.") are then
    mentions of that character too."""
    if not _first_person_narration(tokens, inside):
        return []
    rows: dict[str, list[int]] = defaultdict(list)
    named: set[str] = set()
    for i, word in enumerate(tokens.words):
        if not (word[:1].isupper() and word[1:].islower() and word.lower() in _KIN_NAMES):
            continue
        if i > 0 and tokens.words[i - 1].lower() in _KIN_OWNERS:
            continue
        if i + 1 < len(tokens) and _is_cap(tokens.words[i + 1]) and tokens.pos[i + 1] == "PROPN":
            continue
        rows[word.lower()].append(i)
        if int(tokens.start[i]) not in inside:
            named.add(word.lower())
    out = []
    for word in named:
        for i in rows[word]:
            head = int(tokens.head[i])
            subject = tokens.deps[i] == "nsubj"
            out.append(
                NameSpan(
                    int(tokens.start[i]),
                    int(tokens.end[i]),
                    None,
                    (word,),
                    person_votes=1,
                    sentence_initial=_starts_sentence(tokens, i),
                    sentence=int(tokens.sentence[i]),
                    agent=subject,
                    called=int(tokens.start[i]) in inside and not subject,
                    speech_subject=(subject and tokens.lemmas[head] in SPEECH_VERBS)
                    or (i > 0 and tokens.lemmas[i - 1] in SPEECH_VERBS),
                )
            )
    return out


def _first_person_narration(tokens: TokenTable, inside: SpanIndex[Quote]) -> bool:
    """Whether the narration says "I" at least a third as often as "he" and
    "she": a third-person narrator's "Father" is the heroine's father as she
    calls him, no name of the story's; a first-person narrator's "Dad" is."""
    own = third = 0
    for i, word in enumerate(tokens.words):
        if word in ("I", "he", "she", "He", "She") and int(tokens.start[i]) not in inside:
            own += word == "I"
            third += word != "I"
    return own >= FIRST_PERSON_MIN and 3 * own >= third


#: Narration "I"s that make a work first-person for `kin_name_spans`.
FIRST_PERSON_MIN = 5


def _join_narrator_kin(clusters: list[list[Form]]) -> list[list[Form]]:
    """ "my mom" (a description from "my mom said") and "Mom" (a name) are the
    narrator's one mother: each description of the narrator's kin joins the
    one character who bears its word as a name."""
    out = [list(c) for c in clusters]
    for small in list(out):
        words = {f.parts[-1] for f in small if f.title == "the" and f.parts[0] in _POSSESSIVE}
        if len(words) != 1 or not _described_only(small):
            continue
        word = words.pop()
        bearers = [
            c for c in out if c is not small and any(f.title is None and f.parts == (word,) for f in c)
        ]
        if len(bearers) == 1:
            bearers[0].extend(small)
            out.remove(small)
    return out


def _header_names(text: str, declared: frozenset[str], found: set[str]) -> list[NameSpan]:
    """Occurrences of a POV header's name that no other evidence found: a
    first-person scene headed "~Hermione's POV~" may never name its narrator
    again, yet she is its "I"."""
    out: list[NameSpan] = []
    for name in sorted(declared - found):
        if " " in name:
            continue
        for m in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
            if m.group()[0].isupper():
                out.append(NameSpan(m.start(), m.end(), None, (name,), person_votes=1))
    return out


def find_cast(
    text: str,
    tokens: TokenTable,
    declared: frozenset[str] = frozenset(),
    quotes: Sequence[Quote] = (),
    senders: Sequence[tuple[int, int]] = (),
    tags: Sequence[str] = (),
) -> CastPrediction:
    """The cast of a parsed text. ``declared``: names POV headers vouch for;
    ``senders``: the spans of chat lines' sender labels ("**MJ:**"), who speak;
    ``tags``: the work's character tags (AO3's), full names it may never write."""
    inside = SpanIndex(quotes)
    reader = tuple((m.start(), m.end()) for m in READER_RE.finditer(text))
    placeholders = {i for a, b in reader for i in range(a, b)}
    # A name is "called" only inside dialogue; in narration a comma list looks the same.
    short = len(tokens) < SHORT_WORK_TOKENS
    spans = [
        s if not s.called or s.start in inside else replace(s, called=False)
        for s in name_spans(text, tokens, quotes, short)
        # "Y/N" is the reader, not two people called Y and N.
        if s.start not in placeholders and s.end - 1 not in placeholders
    ]
    kin = kin_name_spans(tokens, inside)
    if kin:
        spans = _drop_nested(sorted([*spans, *kin], key=lambda s: (s.start, -s.end)))
    spans += _header_names(text, declared, {p for s in spans for p in s.parts})
    spans = _senders_speak(text, spans, senders)
    forms = collect_forms(text, spans)
    lower = _lowercase_counts(text, {p for f in forms.values() for p in f.parts})
    name_parts = {p for f in forms.values() if f.count >= 2 for p in f.parts}
    people = frozenset(
        f.parts[0]
        for f in forms.values()
        if len(f.parts) == 1
        and f.title is None
        and f.count >= 2
        and sum(s.person_votes + s.speech_subject for s in f.spans) > sum(s.other_votes for s in f.spans)
    )
    called = frozenset(
        f.parts[0]
        for f in forms.values()
        if len(f.parts) == 1 and f.title is None and any(s.called or s.speech_subject for s in f.spans)
    )
    names = given_names()
    firsts = frozenset(
        f.parts[0] for f in forms.values() if len(f.parts) >= 2 and f.title is None and f.parts[0] in names
    )
    # Surnames of people: "Bast" of Leonard Bast, "Elton" of Mr. Elton.
    surnames = frozenset(
        f.parts[-1]
        for f in forms.values()
        if (
            len(f.parts) >= 2
            and f.parts[0] in names
            # Not a place's last word from a name met once ("Margaret Howards End").
            and (f.count >= 2 or f.parts[-1] not in _PLACE_HEADS)
        )
        or _gender(f.title) is not None
    )
    places = frozenset(f.parts[0] for f in forms.values() if len(f.parts) == 2 and _place_name(f))
    # Every one-word name the text uses, kept or not ("Stilinski." met once still says Teen Wolf).
    one_word = {f.parts[0] for f in forms.values() if len(f.parts) == 1}
    full_names = known_full_names(one_word, tags)
    # A name of a character the work's tags or its fandom know is someone's as a
    # full name's first name is, met once or not ("Granger." called across the
    # room; "Malfoy pretended not to notice"), unless the text uses it as a
    # common word ("Black", "Wood").
    firsts |= {p for n in full_names for p in (n[0], n[-1])}
    known = {"people": people, "called": called, "firsts": firsts, "surnames": surnames, "places": places}
    # A kin word the narration uses as a name is one, whatever its uses as a word.
    vouched = declared | {s.parts[0] for s in kin}
    kept = [f for f in forms.values() if keep_form(f, lower, name_parts, vouched, short, **known)]
    relations = relation_nouns(tokens)
    clustered = cluster_forms(kept, find_namesakes(text, kept), relations)
    clusters = merge_identities(clustered, identity_links(text, spans), forms)
    clusters = _join_narrator_kin(clusters)
    clusters = join_known_names(clusters, full_names)
    clusters = join_epithets(continued_epithets(clusters, tokens, inside, relations), relations)
    clusters = _without_generic_stand_ins(clusters, tokens, inside)
    clusters.sort(key=lambda c: min(s.start for f in c for s in f.spans))
    return CastPrediction(tuple(tuple(c) for c in clusters), reader)


def untitled_names(forms: Sequence[Form]) -> list[str]:
    """The full names a titled full name holds ("John Rolfe" in "Master John
    Rolfe"), which the text writes too. Not a wife's by her husband's name:
    "Mrs. John Dashwood" holds no name of hers."""
    out: list[str] = []
    for f in forms:
        if f.title in (None, "the") or len(f.parts) < 2:
            continue
        if _gender(f.title) == "mrs" and given_names().get(f.parts[0]) != "she":
            continue
        for surface in f.surfaces:
            words = surface.split()
            if len(words) > len(f.parts) and (bare := " ".join(words[-len(f.parts) :])) not in out:
                out.append(bare)
    return out


def _senders_speak(text: str, spans: list[NameSpan], senders: Sequence[tuple[int, int]]) -> list[NameSpan]:
    """A chat line's sender speaks it: the name in its label is someone's, and
    a label no name was found in ("iamironman:") is a name of its own."""
    if not senders:
        return spans
    out = sorted(spans, key=lambda s: (s.start, -s.end))
    starts = [s.start for s in out]
    for a, b in senders:
        lo, hi = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
        out[lo:hi] = [replace(s, speech_subject=True) for s in out[lo:hi]]
        if lo == hi:
            out.append(NameSpan(a, b, None, tuple(text[a:b].lower().split()), speech_subject=True))
    return sorted(out, key=lambda s: (s.start, -s.end))


class CharacterStage(Stage[CastPrediction]):
    name = "characters"
    requires: ClassVar[tuple[str, ...]] = ("text", "tokens")
    provides: ClassVar[tuple[str, ...]] = ("characters", "mentions")

    def predict(self, doc: Document) -> CastPrediction:
        if doc.tokens is None:
            return CastPrediction(())
        declared = frozenset(s.pov_header.lower() for s in doc.scenes if s.pov_header)
        senders = [
            (line.sender_start, line.sender_end) for line in chat_lines(doc.text, doc.paragraphs).values()
        ]
        return find_cast(doc.text, doc.tokens, declared, doc.quotes, senders, doc.work.characters)

    def annotate(self, doc: Document, prediction: CastPrediction) -> Document:
        characters: list[Character] = []
        mentions: list[Mention] = []
        for k, forms in enumerate(prediction.clusters):
            cid = f"c{k + 1}"
            surfaces: Counter[str] = Counter()
            for f in forms:
                surfaces.update(f.surfaces)
                mentions.extend(Mention(s.start, s.end, cid, "name") for s in f.spans)
            aliases = sorted(surfaces, key=lambda a: (-surfaces[a], a))
            aliases += [a for a in untitled_names(forms) if a not in surfaces]
            characters.append(
                Character(
                    id=cid,
                    name=canonical_name(forms),
                    aliases=tuple(aliases),
                    mentions=sum(f.count for f in forms),
                )
            )
        if prediction.reader:
            # A reader-insert work: "Y/N" is the reader, the protagonist addressed as "you".
            characters.append(Character(READER_ID, "Y/N", ("Y/N",), mentions=len(prediction.reader)))
            mentions.extend(Mention(s, e, READER_ID, "name") for s, e in prediction.reader)
        mentions.sort(key=lambda m: (m.start, m.end))
        return doc.with_(characters=tuple(characters), mentions=tuple(mentions))

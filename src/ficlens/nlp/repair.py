"""Mend two known parser errors in a parsed token table, cached or fresh.

en_core_web_sm reads a name that looks like another word as that word when
it opens a sentence: "Milly sat up in bed" (an adverb, for its -ly),
"Fielding could not stand it" (a verb). The name is then neither a name nor
its verb's subject, and every stage after the parse loses that person. A
capitalised word the work never writes in lower case, which is a known given
name or which the tagger reads as a proper noun most times it occurs, is a
name wherever it occurs (a subject, once it is one elsewhere: "Stiles
Stilinski" makes "Stiles grips the handle" his). The repair runs on the table,
not in spaCy, so a parse cached before the repair existed is mended too.

The same model reads present-tense narration, so common in fan fiction, as
a compound noun: in "Clarke laughs." and "Octavia steps forward", the name
modifies a plural noun and nothing is the subject. A name opening its
sentence before such a lower-case -s word becomes that word's subject, and
the word a verb again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from ficlens.model import TokenTable
from ficlens.resources import given_names, lexicon

_SUBJECTS = frozenset(("nsubj", "nsubjpass", "csubj", "expl"))
#: Parts of speech a name is misread as.
_MISREAD = frozenset(("ADV", "ADJ", "VERB", "NOUN"))
#: Dependencies a subject name misread as a modifier gets.
_MODIFIER = frozenset(("advmod", "amod", "npadvmod"))
_NOUNS_AND_VERBS = frozenset(("NOUN", "VERB"))
#: Given names of the census table that are adverbs or adjectives first: the
#: ones en_core_web_sm tags so in the PDNC novels. A short work may never
#: write them in lower case, so the lower-case test alone would not keep them.
_WORDS_FIRST = frozenset(("so", "soon", "long", "many", "else", "rich", "precious"))
#: Entity types that are not people ("English", "Longbourn").
_PLACES_AND_PEOPLES = frozenset(("NORP", "GPE", "LOC", "FAC", "LANGUAGE", "ORG"))
_SPEECH_VERBS = lexicon("speech_verbs")


def _title_case(word: str) -> bool:
    """Title case ("Milly"), in each part of a hyphenated name ("Jean-Luc")."""
    return all(part[:1].isupper() and part[1:].islower() and part.isalpha() for part in word.split("-"))


def _given(word: str, given: Mapping[str, str | None]) -> bool:
    """A known given name, or a hyphenated name with one ("Jean-Luc", "Mary-Kate")."""
    low = word.lower()
    return low in given or ("-" in low and any(part in given for part in low.split("-")))


def repair_names(table: TokenTable) -> TokenTable:
    """Retag as proper nouns the misread names (see the module docstring); one
    that modifies a later verb with no subject becomes its subject, and so
    does one read as the modifier of a present-tense verb taken for a noun
    ("Clarke laughs."), which becomes a verb again."""
    words = table.words
    suspects = [row for row, word in enumerate(words) if table.pos[row] in _MISREAD and _title_case(word)]
    verbs = _verbs_read_as_nouns(table)
    if not suspects and not verbs:
        return table
    given = given_names()
    as_name: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    lower: set[str] = set()
    for row, word in enumerate(words):
        if word[:1].islower():
            lower.add(word)
        elif _title_case(word):
            seen[word] += 1
            as_name[word] += table.pos[row] == "PROPN"
    subjects = {int(table.head[r]) for r, d in enumerate(table.deps) if d in _SUBJECTS}
    # Names that speak ("said Tibby") are people, whatever NER calls them
    # (it reads Howards End's Tibby as a place, 120 times).
    speakers = {
        words[r]
        for r in range(len(words))
        if table.pos[r] == "PROPN"
        and table.deps[r] == "nsubj"
        and table.lemmas[int(table.head[r])] in _SPEECH_VERBS
    }
    retagged: dict[int, str] = {}  # row → its dependency after the repair
    for row in suspects:
        word = words[row]
        if (
            word.lower() in lower
            or word.lower() in _WORDS_FIRST
            or (table.ents[row] in _PLACES_AND_PEOPLES and word not in speakers)
        ):
            continue
        # An adjective or adverb only when a given name ("Milly", "Dolly") or
        # a name that speaks elsewhere ("Tibby"): "English" is no one.
        # A noun or verb that is a proper noun elsewhere: most times, or, as a
        # subject ("Stiles grips the handle"), once ("Stiles Stilinski").
        named = as_name[word]
        dep = table.deps[row]
        speaks = word in speakers
        named_elsewhere = named >= 1 if dep in _SUBJECTS or speaks else 2 * named > seen[word] >= 3
        usually_a_name = named_elsewhere and (table.pos[row] in _NOUNS_AND_VERBS or speaks)
        if not (_given(word, given) or usually_a_name):
            continue
        head = int(table.head[row])
        verb_after = head > row and table.pos[head] in ("VERB", "AUX")
        if dep in _MODIFIER and verb_after and head not in subjects:
            dep = "nsubj"
            subjects.add(head)
        retagged[row] = dep
    fixed: set[int] = set()  # verbs read as nouns that get their subject back
    for name, verb in verbs.items():
        is_name = table.pos[name] == "PROPN" or name in retagged or _given(words[name], given)
        if is_name and words[name].lower() not in lower and verb not in subjects:
            retagged[name] = "nsubj"
            fixed.add(verb)
    if not retagged:
        return table
    # New columns built once from the old, with no list copies: a long work has millions of rows.
    return replace(
        table,
        pos=tuple("PROPN" if r in retagged else "VERB" if r in fixed else p for r, p in enumerate(table.pos)),
        tags=tuple("NNP" if r in retagged else "VBZ" if r in fixed else t for r, t in enumerate(table.tags)),
        deps=tuple(retagged.get(r, d) for r, d in enumerate(table.deps)),
    )


#: What may stand between a sentence's start and its subject ("Then Clarke laughs").
_LEADERS = frozenset(("ADV", "CCONJ", "SCONJ", "PUNCT", "INTJ"))


def _verbs_read_as_nouns(table: TokenTable) -> dict[int, int]:
    """Name row → verb row, where a present-tense verb after a name that opens
    its sentence was read as a noun the name modifies: en_core_web_sm parses
    "Clarke laughs." and "Octavia steps forward and takes my arm." as the
    compound nouns "Clarke laughs" and "Octavia steps", with no subject."""
    out: dict[int, int] = {}
    deps, pos, words, sentence = table.deps, table.pos, table.words, table.sentence
    for row in range(len(words) - 1):
        verb = row + 1
        if not (
            deps[row] == "compound"
            and int(table.head[row]) == verb
            and deps[verb] in ("ROOT", "conj")
            and table.tags[verb] in ("NNS", "VBZ")
            and words[verb][-1:] == "s"
            and words[verb].islower()
            and _title_case(words[row])
        ):
            continue
        first = row
        while first > 0 and sentence[first - 1] == sentence[row] and pos[first - 1] in _LEADERS:
            first -= 1
        if first == 0 or sentence[first - 1] != sentence[row]:
            out[row] = verb
    return out

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

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import ClassVar

from ficlens.model import Character, Document, Mention, TokenTable
from ficlens.resources import lexicon, read_text
from ficlens.stages.base import Stage

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
    "madame": "mrs",
    "mme": "mrs",
    "signora": "mrs",
    "senora": "mrs",
    "señora": "mrs",
}
JAPANESE_SUFFIXES = ("san", "chan", "kun", "sama", "senpai", "sempai", "sensei", "dono", "tan", "chin")
_SUFFIX_RE = re.compile(r"\b([A-Z][\w']+)-(" + "|".join(JAPANESE_SUFFIXES) + r")\b")
_NON_PERSON = lexicon("non_person_entities")

#: A capitalised word after these is more likely a place than a person.
_PLACE_PREPOSITIONS = lexicon("place_prepositions")
_ARTICLES = frozenset(("a", "an"))
_SPEECH = lexicon("speech_verbs")


@cache
def not_names() -> frozenset[str]:
    lines = read_text("not_names.txt").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def nicknames() -> dict[str, tuple[str, ...]]:
    table = json.loads(read_text("nicknames.json"))
    return {k: tuple(v) for k, v in table.items() if not k.startswith("_")}


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
    other_votes: int = 0
    sentence_initial: bool = False
    #: After "a"/"an": a thing or a kind ("a Weasley"), not someone.
    article: bool = False
    #: Subject of a speech verb ("said the Hatter"): someone, not something.
    speech_subject: bool = False


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

    @property
    def key(self) -> tuple[str | None, tuple[str, ...]]:
        return self.title, self.parts


@dataclass(frozen=True, slots=True)
class CastPrediction:
    """Clusters of forms, in order of first mention."""

    clusters: tuple[tuple[Form, ...], ...]


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def name_spans(text: str, tokens: TokenTable) -> list[NameSpan]:
    """Runs of capitalised proper-noun tokens, optionally led by a title."""
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
        if not (
            title_here
            or titled_noun
            or (_is_cap(word) and (tokens.pos[i] == "PROPN" or tokens.ents[i] == "PERSON"))
        ):
            i += 1
            continue
        j = i
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
        ):
            j += 1
        if j == i:
            i += 1
            continue
        rows = list(range(i, j))
        # Leading words that are not names ("Oh Buffy", "Poor Miss Taylor").
        while (
            rows
            and tokens.words[rows[0]].lower() in stop
            and _norm_title(tokens.words[rows[0]]) not in TITLES
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
        if not parts and len(rows) == 1 and rows[0] > 0 and tokens.words[rows[0] - 1].lower() == "the":
            parts = (tokens.words[rows[0]].lower().rstrip("."),)  # "the Duchess", "the Doctor"
        if parts and not all(p in stop for p in parts):
            first = rows[0] if title is None else rows[0] - 1
            ents = [tokens.ents[r] for r in rows]
            prev = tokens.words[first - 1].lower() if first > 0 else ""
            initial = first == 0 or tokens.sentence[first - 1] != tokens.sentence[first]
            if title is None and prev == "the":
                # A title used as a name: "the Hatter", "the Slayer".
                title, first = "the", first - 1
                prev = tokens.words[first - 1].lower() if first > 0 else ""
            last = rows[-1]
            speaker = (
                tokens.deps[last] in ("nsubj", "nsubjpass")
                and tokens.lemmas[int(tokens.head[last])] in _SPEECH
            ) or (tokens.lemmas[first - 1] in _SPEECH if first > 0 else False)
            out.append(
                NameSpan(
                    start=int(tokens.start[first]),
                    end=int(tokens.end[rows[-1]]),
                    title=title,
                    parts=parts,
                    person_votes=int("PERSON" in ents),
                    other_votes=int(any(e in _NON_PERSON for e in ents)) + int(prev in _PLACE_PREPOSITIONS),
                    article=prev in _ARTICLES,
                    sentence_initial=initial,
                    speech_subject=speaker,
                )
            )
        i = j
    for m in _SUFFIX_RE.finditer(text):
        out.append(NameSpan(m.start(), m.end(), None, (m.group(1).lower(),), person_votes=1))
    out.sort(key=lambda s: (s.start, -s.end))
    return _drop_nested(out)


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
        form.surfaces[" ".join(text[s.start : s.end].split())] += 1
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
    form: Form, lower: Counter[str], name_parts: set[str], declared: frozenset[str] = frozenset()
) -> bool:
    """Is this form a person's name? NER votes, titles, and how the word is used.
    ``declared`` holds names that POV headers vouch for ("Spike's POV")."""
    last = form.parts[-1]
    if form.parts[0] in declared:
        return True
    if _ROMAN.match(last) and len(form.parts) == 1:
        return False  # a chapter number
    if last.endswith("s") and last[:-1] in name_parts:
        return False  # a family: "the Martins", "the Knightleys"
    person = sum(s.person_votes for s in form.spans)
    other = sum(s.other_votes for s in form.spans)
    if form.title != "the" and other > person:
        return False
    if form.title is None and 2 * sum(s.article for s in form.spans) >= form.count:
        return False
    if form.title == "the":
        # "the Hatter" is a character only if it speaks; "the Osprey" never does.
        speaks = sum(s.speech_subject for s in form.spans)
        return form.count >= 2 and (speaks >= 2 or (speaks == 1 and other <= person + 1))
    if form.title is not None:
        return True
    mid = sum(1 for s in form.spans if not s.sentence_initial)
    if len(form.parts) == 1:
        word = form.parts[0]
        # A word used in lower case more than capitalised is a common word.
        if lower[word] > 2 * mid and person < max(2, form.count // 2):
            return False
        if mid == 0 and person == 0:
            return False
    return form.count >= 2 or (person >= 1 and len(form.parts) >= 2)


def _compatible_titles(a: str | None, b: str | None) -> bool:
    if a is None or b is None or a == b:
        return True
    ga, gb = _TITLE_GROUP.get(a), _TITLE_GROUP.get(b)
    if ga is None or gb is None:
        return True  # a professional title goes with either
    return ga == gb


@dataclass(slots=True)
class _Cluster:
    forms: list[Form]
    titles: set[str]

    @property
    def count(self) -> int:
        return sum(f.count for f in self.forms)

    @property
    def full(self) -> tuple[str, ...]:
        return max((f.parts for f in self.forms), key=len)

    def accepts_title(self, title: str | None) -> bool:
        return all(_compatible_titles(title, t) for t in self.titles)

    def add(self, form: Form) -> None:
        self.forms.append(form)
        if form.title:
            self.titles.add(form.title)


def cluster_forms(forms: Sequence[Form]) -> list[list[Form]]:
    """Merge name forms into characters, longest names first."""
    # Full names first, then bare first names and surnames (which join a full
    # name), then title forms ("Mr. Knightley"), which join a full name or a bare one.
    ordered = sorted(forms, key=lambda f: (len(f.parts) == 1, f.title is not None, -len(f.parts), -f.count))
    clusters: list[_Cluster] = []
    nick = nicknames()
    for form in ordered:
        target = _place(form, clusters, nick)
        if target is None:
            clusters.append(_Cluster([form], {form.title} if form.title else set()))
        else:
            target.add(form)
    return [c.forms for c in clusters]


def _place(form: Form, clusters: list[_Cluster], nick: dict[str, tuple[str, ...]]) -> _Cluster | None:
    parts = form.parts
    same = [c for c in clusters if any(f.parts == parts for f in c.forms) and c.accepts_title(form.title)]
    if len(same) == 1:
        # "Mr. Knightley" is not "Mr. John Knightley": a bare-surname title form
        # joins a longer name only when it is not far commoner than it.
        return same[0]
    if same:
        return None
    if len(parts) >= 2:
        # "John Knightley" vs "Mr. John Knightley" handled above; a longer name
        # whose parts extend this one ("Mary Ann Smith" ⊃ "Mary Smith") joins it.
        cands = [
            c
            for c in clusters
            if c.accepts_title(form.title)
            and len(c.full) > len(parts)
            and c.full[0] == parts[0]
            and c.full[-1] == parts[-1]
        ]
        return cands[0] if len(cands) == 1 else None
    word = parts[0]
    if form.title is not None:
        cands = [
            c for c in clusters if c.full[-1] == word and len(c.full) > 1 and c.accepts_title(form.title)
        ]
        if len(cands) == 1 and form.count <= 4 * cands[0].count:
            return cands[0]
        return None
    formal = (word, *nick.get(word, ()))
    cands = [c for c in clusters if len(c.full) > 1 and (c.full[0] in formal or c.full[-1] == word)]
    if not cands:
        cands = [c for c in clusters if any(f.parts[-1] == word and f.title for f in c.forms)]
    if not cands:
        cands = [c for c in clusters if len(c.full) == 1 and c.full[0] in formal[1:]]
    return cands[0] if len(cands) == 1 else None


def canonical_name(forms: Sequence[Form]) -> str:
    """The fullest common form: the longest name used at least twice (or the
    most frequent when every long form is rare), as written in the text."""
    total = sum(f.count for f in forms)
    common = [f for f in forms if f.count >= 2 or f.count * 10 >= total] or list(forms)
    best = max(common, key=lambda f: (len(f.parts), f.count))
    return best.surfaces.most_common(1)[0][0]


def find_cast(text: str, tokens: TokenTable, declared: frozenset[str] = frozenset()) -> CastPrediction:
    spans = name_spans(text, tokens)
    forms = collect_forms(text, spans)
    singles = {f.parts[0] for f in forms.values() if len(f.parts) == 1}
    lower = _lowercase_counts(text, singles)
    name_parts = {p for f in forms.values() if f.count >= 2 for p in f.parts}
    kept = [f for f in forms.values() if keep_form(f, lower, name_parts, declared)]
    clusters = cluster_forms(kept)
    clusters.sort(key=lambda c: min(s.start for f in c for s in f.spans))
    return CastPrediction(tuple(tuple(c) for c in clusters))


class CharacterStage(Stage[CastPrediction]):
    name = "characters"
    requires: ClassVar[tuple[str, ...]] = ("text", "tokens")
    provides: ClassVar[tuple[str, ...]] = ("characters", "mentions")

    def predict(self, doc: Document) -> CastPrediction:
        if doc.tokens is None:
            return CastPrediction(())
        declared = frozenset(s.pov_header.lower() for s in doc.scenes if s.pov_header)
        return find_cast(doc.text, doc.tokens, declared)

    def annotate(self, doc: Document, prediction: CastPrediction) -> Document:
        characters: list[Character] = []
        mentions: list[Mention] = []
        for k, forms in enumerate(prediction.clusters):
            cid = f"c{k + 1}"
            surfaces: Counter[str] = Counter()
            for f in forms:
                surfaces.update(f.surfaces)
                mentions.extend(Mention(s.start, s.end, cid, "name") for s in f.spans)
            characters.append(
                Character(
                    id=cid,
                    name=canonical_name(forms),
                    aliases=tuple(sorted(surfaces, key=lambda a: (-surfaces[a], a))),
                    mentions=sum(f.count for f in forms),
                )
            )
        mentions.sort(key=lambda m: (m.start, m.end))
        return doc.with_(characters=tuple(characters), mentions=tuple(mentions))

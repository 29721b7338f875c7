"""LitBank's quotations as gold for speaker attribution, in the scorer's format.

LitBank (Bamman et al., CC BY 4.0) annotates 1,443 quotations in its 80
excerpts, each with the coreference entity that speaks it. ``gold(root,
ident)`` turns one excerpt into the dictionary ``../shared/eval/score.py``
scores against: the excerpt's text as it is (one tokenised sentence a line,
the file `benchmarks/coref.py` analyses too), each quotation as character
offsets into it, and a character list with aliases for every speaking entity.

A speaking entity's aliases are its proper-name mentions ("Mrs . Verloc";
the scorer ignores the spaces before punctuation) and the descriptions that
name no other entity ("the parson", "my mother"); the one that says "I" most
in the narration, outside quotations, is also the narrator ("I", "Narrator":
how ficlens names an unnamed first-person narrator). LitBank gives no quote types, so every quote's type
is "all".
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

_FIRST_PERSON = frozenset(("i", "me", "my", "myself", "mine"))


def idents(root: Path) -> list[str]:
    """The excerpts that have quotations, sorted (as their folds are assigned)."""
    return sorted(p.stem for p in (root / "quotations" / "tsv").glob("*.ann"))


def _rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [row for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


def _token_offsets(text: str) -> list[list[tuple[int, int]]]:
    """Per line (sentence), the (start, end) of each space-separated token."""
    out: list[list[tuple[int, int]]] = []
    pos = 0
    for line in text.split("\n"):
        spans, k = [], 0
        for token in line.split(" "):
            if token:
                spans.append((pos + k, pos + k + len(token)))
            k += len(token) + 1
        out.append(spans)
        pos += len(line) + 1
    return out


def text_path(root: Path, ident: str) -> Path:
    return root / "quotations" / "tsv" / f"{ident}.txt"


def gold(root: Path, ident: str) -> dict[str, Any]:
    """One excerpt's quotations and speakers (see the module docstring)."""
    text = text_path(root, ident).read_text(encoding="utf-8")
    tokens = _token_offsets(text)
    spans: dict[str, tuple[int, int]] = {}
    speaker_of: dict[str, str] = {}
    for row in _rows(root / "quotations" / "tsv" / f"{ident}.ann"):
        if row[0] == "QUOTE":
            s_sent, s_tok, e_sent, e_tok = (int(v) for v in row[2:6])
            spans[row[1]] = (tokens[s_sent][s_tok][0], tokens[e_sent][e_tok][1])
        elif row[0] == "ATTRIB":
            speaker_of[row[1]] = row[2]
    mentions: dict[str, tuple[str, str, int]] = {}
    entity_of: dict[str, str] = {}
    for row in _rows(root / "coref" / "tsv" / f"{ident}.ann"):
        if row[0] == "MENTION" and len(row) >= 9:
            mentions[row[1]] = (row[6], row[8], tokens[int(row[2])][int(row[3])][0])
        elif row[0] == "COREF":
            entity_of[row[1]] = row[2]
    forms: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    narrating: Counter[str] = Counter()  # first-person pronouns in the narration, not in speech
    for mid, entity in entity_of.items():
        if mid in mentions:
            words, kind, start = mentions[mid]
            forms[entity][kind][words] += 1
            if kind == "PRON" and words.lower() in _FIRST_PERSON:
                narrating[entity] += not any(s <= start < e for s, e in spans.values())
    # The narrator: the one entity most often "I" outside quotations (twice at least).
    narrator = max(narrating, key=lambda e: narrating[e], default=None)
    if narrator is not None and narrating[narrator] < 2:
        narrator = None
    # A description ("the parson", "my mother") is an alias of the one entity it names.
    described = Counter(words for entity in forms for words in forms[entity].get("NOM", {}))
    characters = []
    for entity in sorted(set(speaker_of.values())):
        kinds = forms.get(entity, {})
        aliases = set(kinds.get("PROP", {})) | {w for w in kinds.get("NOM", {}) if described[w] == 1}
        if entity == narrator:
            aliases |= {"I", "Narrator"}
        name = entity.rsplit("-", 1)[0].replace("__", ". ").replace("_", " ")
        characters.append({"name": entity, "aliases": sorted(aliases | {name})})
    quotes = [
        {"start": s, "end": e, "speaker": speaker_of.get(q), "type": "all"}
        for q, (s, e) in sorted(spans.items(), key=lambda kv: kv[1])
    ]
    return {"text": text, "characters": characters, "quotes": quotes, "non_quotes": [], "scenes": []}

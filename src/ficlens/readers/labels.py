"""``Label: value`` work metadata, as title pages and story headers write it.

FanFicFare's TXT title page and the header authors type above a story
("Title: Ashes", "Pairing: Geralt/Jaskier", "Summary: …") use the same labels.
This module maps them onto `WorkMeta`'s typed fields, and finds such a header
at the top of plain text, so that it is read as metadata, not as story (its
"Characters:" line would otherwise run into names: "Ciri ¶ Summary").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ficlens.model import Series, WorkMeta

__all__ = [
    "ENTRY",
    "LIST_FIELDS",
    "TEXT_FIELDS",
    "Header",
    "entries",
    "find_header",
    "split_list",
    "work_meta",
]

#: One ``Label: value`` line (the value may be empty when it follows on the next lines).
ENTRY = re.compile(r"([A-Z][A-Za-z0-9 ()/'’.-]{0,40}?):(?: (.*)|\s*)")
_SERIES = re.compile(r"(.*?)\s*\[(\d+)\]\s*")
_WORDS = re.compile(r"[\d,.\s]+")

LIST_FIELDS = {
    "author": "authors",
    "authors": "authors",
    "rating": "rating",
    "ratings": "rating",
    "rated": "rating",
    "warnings": "warnings",
    "warning": "warnings",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "characters": "characters",
    "character": "characters",
    "character(s)": "characters",
    "relationships": "relationships",
    "relationship": "relationships",
    "ships": "relationships",
    "pairings": "relationships",
    "pairing": "relationships",
    "pairing(s)": "relationships",
    "freeform tags": "additional_tags",
    "additional tag": "additional_tags",
    "additional tags": "additional_tags",
    "extra tags": "additional_tags",
    "tags": "additional_tags",
    "collection": "collections",
    "collections": "collections",
}
TEXT_FIELDS = {
    "title": "title",
    "language": "language",
    "published": "published",
    "updated": "updated",
    "completed": "completed",
    "chapters": "chapters",
    "summary": "summary",
    "description": "summary",
    "story url": "url",
    "url": "url",
    "source": "url",
    "story id": "id",
    "notes": "notes",
    "note": "notes",
    "author's note": "notes",
    "author's notes": "notes",
    "a/n": "notes",
}
#: Labels with no typed field that still mark a story header (kept in ``extra``).
_OTHER_LABELS = frozenset(
    (
        "words",
        "word count",
        "wordcount",
        "series",
        "disclaimer",
        "spoilers",
        "genre",
        "genres",
        "status",
        "prompt",
        "beta",
        "beta reader",
        "feedback",
        "timeline",
        "setting",
        "dedication",
        "length",
    )
)
#: Labels whose value may run on over unlabelled lines (a wrapped summary).
_PROSE_LABELS = frozenset(
    (
        "summary",
        "description",
        "notes",
        "note",
        "author's note",
        "author's notes",
        "a/n",
        "disclaimer",
        "prompt",
    )
)
#: A story header has at least this many labelled lines.
HEADER_MIN_ENTRIES = 2


def _key(label: str) -> str:
    return label.strip().lower().replace("’", "'")


def known_label(label: str) -> bool:
    key = _key(label)
    return key in LIST_FIELDS or key in TEXT_FIELDS or key in _OTHER_LABELS


def entries(lines: Iterable[str]) -> list[tuple[str, str]]:
    """``Label: value`` pairs; unlabelled lines continue the previous value
    (a wrapped summary, or AO3's value indented under its label)."""
    out: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip():
            continue
        m = ENTRY.fullmatch(line.strip())
        if m:
            out.append((m.group(1).strip(), (m.group(2) or "").strip()))
        elif out:
            label, value = out[-1]
            out[-1] = (label, f"{value} {line.strip()}".strip())
    return out


def split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(", ") if part.strip())


def work_meta(pairs: Iterable[tuple[str, str]], **values: object) -> WorkMeta:
    """Map labelled values onto WorkMeta's typed fields; the rest go to ``extra``.
    ``values`` are fields already known (``source_format``, a title…)."""
    extra: dict[str, str] = {}
    series: list[Series] = []
    for label, value in pairs:
        key = _key(label)
        if key in LIST_FIELDS:
            values[LIST_FIELDS[key]] = split_list(value)
        elif key in TEXT_FIELDS:
            values[TEXT_FIELDS[key]] = value
        elif key in ("words", "word count", "wordcount") and _WORDS.fullmatch(value):
            values["words"] = int(re.sub(r"\D", "", value) or 0)
        elif key == "series":
            m = _SERIES.fullmatch(value)
            series.append(Series(m.group(1), int(m.group(2))) if m else Series(value))
        else:
            extra[label] = value
    if series:
        values["series"] = tuple(series)
    values["extra"] = tuple(sorted(extra.items()))
    return WorkMeta(**values)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Header:
    """A story header: where it ends in the text, and its labelled values."""

    end: int
    entries: tuple[tuple[str, str], ...]


#: Characters of the text a header is looked for in.
_HEADER_REACH = 20_000


def find_header(text: str) -> Header | None:
    """The ``Label: value`` lines opening ``text``, when it opens with one of the
    labels stories are headed with and has `HEADER_MIN_ENTRIES` of them.

    An unlabelled line continues the entry right above it only when that
    entry's value can run on (a summary, a note), was left for the next line,
    or the line is indented; after a blank line the header goes on only with
    another known label. So the story's first paragraph is never taken in.
    Unknown labels ("Tony: hey") are chat, not a header."""
    end = 0
    count = 0
    runs_on = False  # the entry above may run on over unlabelled lines
    after = False  # the line above is the header's
    lines: list[str] = []
    offset = 0
    for line in text[:_HEADER_REACH].splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        body = line.strip()
        if not body:
            after = False
            continue
        m = ENTRY.fullmatch(body)
        if m and known_label(m.group(1)):
            count += 1
            runs_on = _key(m.group(1)) in _PROSE_LABELS or not m.group(2)
        elif not (after and (runs_on or line[:1].isspace())):
            break
        after = True
        lines.append(body)
        end = start + len(line.rstrip())
    if count < HEADER_MIN_ENTRIES:
        return None
    return Header(end, tuple(entries(lines)))

"""Flatten one work's analysis into rows of the corpus tables.

Five tables, all keyed by ``work_id`` and documented column by column in
docs/corpus.md: ``works`` (one row per work: metadata, AO3 tags, narration
and counts), ``characters``, ``quotes``, ``scenes`` and ``mentions``. Rows are
built from the ``ficlens/1`` JSON dict alone (plus where the work came from),
so rows computed by a worker and rows rebuilt from ``works/<id>.json`` after
a crash are the same.

Rows travel as columns (``{column: [values]}``), which pyarrow turns into a
table without a per-row Python object.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import pyarrow as pa

from ficlens import __version__
from ficlens.corpus.inputs import WorkInput

Columns = dict[str, list[Any]]
Rows = dict[str, Columns]

_STR = pa.string()
_INT = pa.int64()
_STRS = pa.list_(pa.string())

#: AO3 and other tag lists of ``work``, as columns of the works table.
_TAG_LISTS = {
    "rating": "rating",
    "archive_warnings": "warnings",
    "categories": "categories",
    "fandoms": "fandoms",
    "relationships": "relationships",
    "character_tags": "characters",
    "additional_tags": "additional_tags",
    "collections": "collections",
}
#: Scalar fields of ``work`` copied as they are (column ← field).
_WORK_SCALARS = {
    "source_format": "source_format",
    "title": "title",
    "url": "url",
    "ao3_id": "id",
    "language": "language",
    "published": "published",
    "updated": "updated",
    "completed": "completed",
    "chapters_stated": "chapters",
    "summary": "summary",
}
_COUNTS = ("chapters", "paragraphs", "scenes", "characters", "quotes", "mentions", "thoughts")

SCHEMAS: dict[str, pa.Schema] = {
    "works": pa.schema(
        [
            pa.field("work_id", _STR, nullable=False),
            ("key", _STR),
            ("path", _STR),
            ("sha256", _STR),
            ("bytes", _INT),
            ("ficlens_version", _STR),
            *[(column, _STR) for column in list(_WORK_SCALARS)[:2]],
            ("authors", _STRS),
            *[(column, _STR) for column in list(_WORK_SCALARS)[2:]],
            *[(column, _STRS) for column in _TAG_LISTS],
            ("series", pa.list_(pa.struct([("title", _STR), ("part", _INT), ("url", _STR)]))),
            ("words_stated", _INT),
            ("person", _STR),
            ("tense", _STR),
            ("n_chars", _INT),
            ("n_words", _INT),
            *[(f"n_{name}", _INT) for name in _COUNTS],
            ("n_dialogue_chars", _INT),
        ]
    ),
    "characters": pa.schema(
        [
            pa.field("work_id", _STR, nullable=False),
            ("character_id", _STR),
            ("name", _STR),
            ("aliases", _STRS),
            ("pronouns", pa.map_(_STR, pa.float64())),
            ("main_pronoun", _STR),
            ("mentions", _INT),
            ("quotes", _INT),
            ("dialogue_chars", _INT),
        ]
    ),
    "quotes": pa.schema(
        [
            pa.field("work_id", _STR, nullable=False),
            ("quote_id", _STR),
            ("utterance", _STR),
            ("start", _INT),
            ("end", _INT),
            ("length", _INT),
            ("chapter", _INT),
            ("scene_id", _STR),
            ("speaker", _STR),
            ("addressees", _STRS),
            ("kind", _STR),
            ("confidence", pa.float64()),
            ("text", _STR),
        ]
    ),
    "scenes": pa.schema(
        [
            pa.field("work_id", _STR, nullable=False),
            ("scene_id", _STR),
            ("chapter", _INT),
            ("start", _INT),
            ("end", _INT),
            ("n_chars", _INT),
            ("pov", _STR),
            ("person", _STR),
            ("tense", _STR),
            ("pov_header", _STR),
        ]
    ),
    "mentions": pa.schema(
        [
            pa.field("work_id", _STR, nullable=False),
            ("character", _STR),
            ("kind", _STR),
            ("start", _INT),
            ("end", _INT),
            ("chapter", _INT),
            ("scene_id", _STR),
            ("text", _STR),
        ]
    ),
}
TABLES = tuple(SCHEMAS)

_WORD = re.compile(r"\w+(?:['’]\w+)*")


class _Locator:
    """Which chapter and scene an offset falls in (both are sorted, disjoint spans)."""

    def __init__(self, analysis: dict[str, Any]) -> None:
        self.text: str = analysis["text"]
        self.chapter_starts = [c["start"] for c in analysis["chapters"]]
        self.scenes = analysis["scenes"]
        self.scene_starts = [s["start"] for s in self.scenes]

    def chapter(self, offset: int) -> int | None:
        index = bisect_right(self.chapter_starts, offset) - 1
        return index if index >= 0 else None

    def scene(self, offset: int) -> str | None:
        index = bisect_right(self.scene_starts, offset) - 1
        if index >= 0 and offset < self.scenes[index]["end"]:
            return str(self.scenes[index]["id"])
        return None

    def span(self, item: dict[str, Any]) -> dict[str, Any]:
        """The columns locating a quote or mention: offsets, chapter, scene, its text."""
        start, end = item["start"], item["end"]
        return {
            "start": start,
            "end": end,
            "chapter": self.chapter(start),
            "scene_id": self.scene(start),
            "text": self.text[start:end],
        }


def _columns(table: str) -> Columns:
    return {name: [] for name in SCHEMAS[table].names}


def _append(columns: Columns, **values: Any) -> None:
    for name, column in columns.items():
        column.append(values.get(name))


def empty_rows() -> Rows:
    return {table: _columns(table) for table in TABLES}


def extend(into: Rows, rows: Rows) -> None:
    """Add one work's rows to a buffer of rows."""
    for table, columns in rows.items():
        for name, values in columns.items():
            into[table][name].extend(values)


def row_count(rows: Rows, table: str = "works") -> int:
    return len(rows[table]["work_id"])


def to_arrow(rows: Rows, table: str) -> pa.Table:
    return pa.Table.from_pydict(rows[table], schema=SCHEMAS[table])


def rows_for(work: WorkInput | None, work_id: str, analysis: dict[str, Any]) -> Rows:
    """The rows of every table for one analysed work.

    ``work`` says where the work came from; it is None only when rows are
    rebuilt from a JSON whose input is no longer among the batch's inputs.
    """
    text: str = analysis["text"]
    where = _Locator(analysis)
    rows = empty_rows()
    spoken: dict[str, int] = {}
    for q in analysis["quotes"]:
        length = q["end"] - q["start"]
        if q["speaker"] is not None:
            spoken[q["speaker"]] = spoken.get(q["speaker"], 0) + length
        _append(
            rows["quotes"],
            work_id=work_id,
            quote_id=q["id"],
            utterance=q["utterance"],
            length=length,
            speaker=q["speaker"],
            addressees=q["addressees"],
            kind=q["kind"],
            confidence=q["confidence"],
            **where.span(q),
        )
    for c in analysis["characters"]:
        pronouns: dict[str, float] = c["pronouns"]
        _append(
            rows["characters"],
            work_id=work_id,
            character_id=c["id"],
            name=c["name"],
            aliases=c["aliases"],
            pronouns=list(pronouns.items()),
            main_pronoun=max(pronouns, key=lambda p: (pronouns[p], p)) if pronouns else None,
            mentions=c["mentions"],
            quotes=c["quotes"],
            dialogue_chars=spoken.get(c["id"], 0),
        )
    for s in analysis["scenes"]:
        _append(
            rows["scenes"],
            work_id=work_id,
            scene_id=s["id"],
            n_chars=s["end"] - s["start"],
            **{k: s[k] for k in ("chapter", "start", "end", "pov", "person", "tense", "pov_header")},
        )
    for m in analysis["mentions"]:
        _append(
            rows["mentions"],
            work_id=work_id,
            character=m["character"],
            kind=m["kind"],
            **where.span(m),
        )
    meta: dict[str, Any] = analysis["work"]
    _append(
        rows["works"],
        work_id=work_id,
        key=work.key if work else None,
        path=work.display if work else None,
        sha256=work.sha256 if work else None,
        bytes=work.size if work else None,
        ficlens_version=__version__,
        authors=meta.get("authors", []),
        series=meta.get("series", []),
        words_stated=meta.get("words"),
        person=analysis["narration"]["person"],
        tense=analysis["narration"]["tense"],
        n_chars=len(text),
        n_words=sum(len(_WORD.findall(text, p["start"], p["end"])) for p in analysis["paragraphs"]),
        n_dialogue_chars=sum(q["end"] - q["start"] for q in analysis["quotes"]),
        **{column: meta.get(field) for column, field in _WORK_SCALARS.items()},
        **{column: meta.get(field, []) for column, field in _TAG_LISTS.items()},
        **{f"n_{name}": len(analysis[name]) for name in _COUNTS},
    )
    return rows

"""Flattening an analysis into table rows: columns, counts and lookups."""

from __future__ import annotations

from typing import Any

import pytest

from ficlens.corpus import tables
from ficlens.corpus.inputs import WorkInput
from ficlens.pipeline import analyze_text
from tests.conftest import REPO
from tests.corpus.conftest import EXAMPLE


@pytest.fixture(scope="module")
def analysis() -> dict[str, Any]:
    return analyze_text(EXAMPLE).to_dict()


def test_rows_follow_the_schema_and_the_json(analysis: dict[str, Any]) -> None:
    work = WorkInput("00ff", "fics/lamp.txt", "/data/fics/lamp.txt", None, "ab" * 32, 123)
    rows = tables.rows_for(work, work.work_id, analysis)
    for name in tables.TABLES:
        table = tables.to_arrow(rows, name)
        assert table.schema == tables.SCHEMAS[name]
        assert set(table.column("work_id").to_pylist()) == {"00ff"}
    for name in ("characters", "quotes", "scenes", "mentions"):
        assert tables.row_count(rows, name) == len(analysis[name]) > 0, name
    (work_row,) = tables.to_arrow(rows, "works").to_pylist()
    assert work_row["key"] == "fics/lamp.txt" and work_row["bytes"] == 123
    assert work_row["n_quotes"] == len(analysis["quotes"])
    assert work_row["person"] == analysis["narration"]["person"] == "third"
    assert 350 < work_row["n_words"] < 430  # the story's prose, not its headings or notes


def test_quotes_mentions_and_characters_point_into_the_text(analysis: dict[str, Any]) -> None:
    rows = tables.rows_for(None, "w", analysis)
    text = analysis["text"]
    quotes = tables.to_arrow(rows, "quotes").to_pylist()
    assert quotes[0]["text"] == "You're late,"
    scenes = {s["id"]: s for s in analysis["scenes"]}
    for q in quotes:
        assert q["text"] == text[q["start"] : q["end"]] and q["length"] == len(q["text"])
        scene = scenes[q["scene_id"]]
        assert scene["start"] <= q["start"] < scene["end"] and q["chapter"] == scene["chapter"]
    mentions = tables.to_arrow(rows, "mentions").to_pylist()
    assert {m["text"] for m in mentions} >= {"Mara", "she", "Tobias"}
    characters = {c["name"]: c for c in tables.to_arrow(rows, "characters").to_pylist()}
    mara = characters["Mara Quill"]
    assert mara["main_pronoun"] == "she" and dict(mara["pronouns"])["she"] > 0.5
    spoken = sum(q["length"] for q in quotes if q["speaker"] == mara["character_id"])
    assert mara["dialogue_chars"] == spoken > 0
    (work_row,) = tables.to_arrow(rows, "works").to_pylist()
    assert work_row["path"] is None and work_row["n_dialogue_chars"] == sum(q["length"] for q in quotes)


def test_every_column_is_documented() -> None:
    doc = (REPO / "docs" / "corpus.md").read_text(encoding="utf-8")
    for name, schema in tables.SCHEMAS.items():
        start = doc.index(f"### `{name}`")
        section = doc[start : doc.find("\n##", start + 1)]
        missing = [c for c in schema.names if c != "work_id" and f"`{c}`" not in section]
        assert not missing, (name, missing)

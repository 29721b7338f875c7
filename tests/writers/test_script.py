from __future__ import annotations

import json

from ficlens.model import Document, Paragraph, Quote
from ficlens.writers import jsonl, script
from tests.writers.sample import sample_document

EXPECTED = """\
Narrator: Chapter 1: Harbour
Anna: Come here, Now.
Narrator: Anna said.
Narrator: Ben smiled.
Ben: Why?
Narrator: he asked her.
Narrator: Anna thought:
Anna (thought): the sea is mine.
Narrator: She kissed Ben.
"""


def test_script_is_one_line_per_utterance_in_reading_order() -> None:
    assert script.render(sample_document()) == EXPECTED


def test_unknown_speakers_and_line_breaks_stay_on_one_line() -> None:
    text = '"Wait,\nplease." Nobody moved.'
    doc = Document(text=text, paragraphs=(Paragraph(0, len(text)),), quotes=(Quote("q1", 1, 14, "u1"),))
    assert script.render(doc) == "Unknown: Wait, please.\nNarrator: Nobody moved.\n"


def test_jsonl_holds_the_same_lines_with_offsets_into_text() -> None:
    doc = sample_document()
    rows = [json.loads(line) for line in jsonl.render(doc).splitlines()]
    assert [f"{r['name']}: {r['text']}" for r in rows] == EXPECTED.splitlines()
    utterance = rows[1]
    assert utterance["kind"] == "utterance"
    assert utterance["speaker"] == "c1"
    assert utterance["addressees"] == ["c2"]
    assert utterance["quotes"] == ["q1", "q2"]
    assert [doc.text[s:e] for s, e in utterance["spans"]] == ["Come here,", "Now."]
    for row in rows[1:]:
        assert doc.text[row["start"] : row["end"]].startswith(
            doc.text[row["spans"][0][0] : row["spans"][0][1]]
        )
    assert rows[0]["kind"] == "heading" and rows[0]["spans"] == []

"""Every output on the real inputs: the shared stories and a tagged AO3 download.

One analysis per input (spaCy is slow to load), then each format read back
with answers a person checked by reading the story.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ficlens import writers
from ficlens.model import Document
from ficlens.pipeline import analyze_path
from tests.conftest import FIXTURES, assert_valid, shared_path


@pytest.fixture(scope="module")
def tagged() -> Document:
    return analyze_path(FIXTURES / "ao3" / "tagged.html")


def suggested(doc: Document, kind: str) -> list[str]:
    return [t.tag for t in doc.tags.suggestions if t.kind == kind]


def test_tagged_ao3_work_suggestions_agree_with_its_own_tags(tagged: Document) -> None:
    assert suggested(tagged, "character") == ["Maren Voss", "Ottilie Brandt", "Jonas Albers"]
    assert suggested(tagged, "relationship") == ["Maren Voss/Ottilie Brandt", "Maren Voss & Jonas Albers"]
    assert sorted(suggested(tagged, "narration")) == ["Alternating Points of View", "Present Tense"]
    agreement = {a.kind: a for a in tagged.tags.agreement}
    assert {k: (a.precision, a.recall) for k, a in agreement.items()} == {
        "character": (1.0, 1.0),
        "relationship": (1.0, 1.0),
        "narration": (1.0, 1.0),
    }
    assert ("Maren Voss & Jonas Albers", "Jonas Albers & Maren Voss") in [
        (m.suggested, m.work) for m in agreement["relationship"].matched
    ]
    assert_valid(tagged.to_dict())


def test_every_format_writes_the_tagged_work(tagged: Document, tmp_path: Path) -> None:
    for name in ("json", "html", "script", "jsonl"):
        writers.write(tagged, tmp_path / "work", name)
    writers.write(tagged, tmp_path / "book", "booknlp")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["book.entities", "book.quotes", "book.tokens", "work"]  # one name, overwritten
    lines = writers.render(tagged, "script").splitlines()
    assert "Maren: You shouldn't be up here," in lines
    k = lines.index("Ottilie: And you shouldn't be up here alone, Not tonight.")  # one utterance
    assert lines[k + 1] == "Narrator: Ottilie says."
    assert all(": " in line for line in lines)
    quotes = (tmp_path / "book.quotes").read_text(encoding="utf-8").splitlines()
    assert len(quotes) == 1 + len(tagged.quotes)


@pytest.mark.parametrize(
    ("story", "relationships", "narration"),
    [
        # Story 000 alternates: Buffy's POV in three scenes, Spike's in two (our gold annotation).
        ("000_520dda240a9fa714.txt", [{"Spike", "Buffy"}], ["Alternating Points of View"]),
        ("003_47a4f1a486c03f75.txt", [], ["Present Tense"]),
    ],
)
def test_shared_stories(
    story: str, relationships: list[set[str]], narration: list[str], tmp_path: Path
) -> None:
    doc = analyze_path(shared_path("data", "stories", story))
    # Romantic ("/"), between these two; the order of the names follows prominence.
    assert [set(t.split("/")) for t in suggested(doc, "relationship")] == relationships
    assert suggested(doc, "narration") == narration
    assert {"Spike", "Buffy"} <= set(suggested(doc, "character"))
    assert doc.tags.agreement == ()
    out = tmp_path / "story.jsonl"
    writers.write(doc, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    utterances = [r for r in rows if r["kind"] == "utterance"]
    assert len(utterances) == len({q.utterance for q in doc.quotes})
    starts = [r["start"] for r in rows if r["kind"] != "heading"]
    assert starts == sorted(starts)  # reading order
    assert "<!DOCTYPE html>" in writers.render(doc, "html")

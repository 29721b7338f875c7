from __future__ import annotations

import json

import pytest

from ficlens.errors import FiclensError
from ficlens.model import (
    Chapter,
    Character,
    Document,
    Emphasis,
    Mention,
    Narration,
    NonSpeech,
    Note,
    Paragraph,
    Passage,
    Quote,
    Scene,
    Series,
    TagAgreement,
    TagMatch,
    Tags,
    TagSuggestion,
    Thought,
    WorkMeta,
)
from tests.conftest import assert_valid


def full_document() -> Document:
    text = '"Spike?" Buffy asked.\n\n* * *\n\nHe smiled.'
    return Document(
        text=text,
        work=WorkMeta(
            source_format="ao3-html",
            title="T",
            authors=("a", "b"),
            words=12,
            series=(Series("S", 2, "https://example.org/series/1"),),
            extra=(("Status", "Completed"),),
        ),
        chapters=(Chapter(0, len(text), "Chapter 1: One"),),
        paragraphs=(Paragraph(0, 21), Paragraph(30, 40)),
        scenes=(
            Scene("s1", 0, 21, 0),
            Scene("s2", 30, 40, 0, pov="c1", person="third", tense="past", pov_header="Spike"),
        ),
        emphasis=(Emphasis(30, 32, "italic"),),
        notes=(Note("summary", None, text="A summary."), Note("author_note", 0, start=23, end=28)),
        characters=(Character("c1", "Spike", ("Spike", "William"), (("he", 1.0),), 2, 1),),
        quotes=(Quote("q1", 1, 7, "u1", "c1", ("c2",), "explicit", 0.9),),
        non_speech=(NonSpeech(16, 20),),
        mentions=(Mention(9, 14, "c2", "name"),),
        thoughts=(Thought(30, 40, "c1"),),
        narration=Narration("third", "past"),
        tags=Tags(
            (TagSuggestion("Spike", "character", 1.0, ("c1",), (("mentions", 2),), (Passage(9, 14),)),),
            (TagAgreement("character", (TagMatch("Spike", "Spike (BtVS)"),), (), ("Buffy",), 1.0, 0.5),),
        ),
    )


def test_round_trip_through_json_is_lossless() -> None:
    doc = full_document()
    data = json.loads(json.dumps(doc.to_dict()))
    assert Document.from_dict(data) == doc


def test_full_document_validates_against_schema() -> None:
    assert_valid(full_document().to_dict())


def test_note_shapes_differ_by_where_the_note_lives() -> None:
    assert Note("summary", None, text="x").to_dict() == {"kind": "summary", "chapter": None, "text": "x"}
    assert Note("author_note", 2, start=1, end=5).to_dict() == {
        "kind": "author_note",
        "chapter": 2,
        "start": 1,
        "end": 5,
    }


def test_from_dict_refuses_other_schemas() -> None:
    with pytest.raises(FiclensError, match=r"\[E010\].*ficlens/1"):
        Document.from_dict({"schema": "other/2", "text": ""})


def test_document_is_immutable_and_with_copies() -> None:
    doc = Document(text="abc")
    with pytest.raises(AttributeError):
        doc.text = "x"  # type: ignore[misc]
    assert doc.with_(narration=Narration("first", "present")).narration.person == "first"
    assert doc.narration.person is None

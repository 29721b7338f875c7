"""Tag suggestions: hand-built documents with known evidence, no parser needed."""

from __future__ import annotations

import re
from collections import Counter

from ficlens.model import Character, Document, Mention, Paragraph, Quote, Scene, WorkMeta
from ficlens.stages.tags import TagStage, names_match, sentences, suggest

NAMES = {"Anna": "c1", "Ben": "c2", "Carl": "c3"}


def make_doc(
    paragraphs: list[str],
    scenes: list[tuple[str | None, str | None, str | None]] | None = None,
    work: WorkMeta | None = None,
    quotes: tuple[Quote, ...] = (),
) -> Document:
    """Paragraphs joined by blank lines; every name is a mention; one scene per
    paragraph when ``scenes`` gives (pov, person, tense) per paragraph."""
    text = "\n\n".join(paragraphs)
    spans, pos = [], 0
    for p in paragraphs:
        spans.append(Paragraph(pos, pos + len(p)))
        pos += len(p) + 2
    mentions = sorted(
        (Mention(m.start(), m.end(), NAMES[m.group()], "name") for m in re.finditer(r"Anna|Ben|Carl", text)),
        key=lambda m: m.start,
    )
    counts = Counter(m.character for m in mentions)
    said = Counter(q.speaker for q in quotes)
    characters = tuple(
        Character(cid, name, (name,), (), counts[cid], said[cid]) for name, cid in NAMES.items()
    )
    if scenes is None:
        scene_spans = (Scene("s1", 0, len(text), 0, None, "third", "past"),)
    else:
        scene_spans = tuple(
            Scene(f"s{k + 1}", p.start, p.end, 0, pov, person, tense)  # type: ignore[arg-type]
            for k, (p, (pov, person, tense)) in enumerate(zip(spans, scenes, strict=True))
        )
    return Document(
        text=text,
        work=work or WorkMeta(),
        paragraphs=tuple(spans),
        scenes=scene_spans,
        characters=characters,
        mentions=tuple(mentions),
        quotes=quotes,
    )


ROMANCE = [
    "Anna kissed Ben by the harbour. Carl was at the market.",
    "Ben looked at Anna and blushed. Anna laughed.",
    "Anna took Ben to her bed that night. Ben stayed until morning.",
    "Carl sold fish. Carl sold more fish.",
]
FRIENDS = [
    "Anna hugged Ben at the station. Carl waved.",
    "Ben had been Anna's best friend since school. They walked home.",
    "Anna and Ben shared a sandwich.",
    "Carl sold fish.",
]


def by_kind(doc: Document, kind: str) -> list[str]:
    return [t.tag for t in suggest(doc).suggestions if t.kind == kind]


def test_sentences_split_paragraphs_after_final_punctuation() -> None:
    doc = make_doc(['"Go." She went! Then… nothing', "One more."])
    got = [doc.text[s.start : s.end] for s in sentences(doc)]
    assert got == ['"Go."', "She went!", "Then… nothing", "One more."]


def test_romantic_cues_between_two_characters_give_a_slash_tag_with_evidence() -> None:
    doc = make_doc(ROMANCE)
    rel = [t for t in suggest(doc).suggestions if t.kind == "relationship"]
    assert [t.tag for t in rel] == ["Anna/Ben"]
    counts = dict(rel[0].counts)
    assert counts["romantic_sentences"] == 3
    # "Anna laughed." borrows its paragraph's pair: Ben is there too.
    assert counts["shared_sentences"] == 5
    passages = [doc.text[p.start : p.end] for p in rel[0].passages]
    assert passages == [
        "Anna kissed Ben by the harbour.",
        "Ben looked at Anna and blushed.",
        "Anna took Ben to her bed that night.",
    ]
    assert 0 < rel[0].score <= 1


def test_platonic_cues_give_an_ampersand_tag() -> None:
    assert by_kind(make_doc(FRIENDS), "relationship") == ["Anna & Ben"]


def test_thin_evidence_gives_no_relationship() -> None:
    doc = make_doc(["Anna kissed Ben once.", "Carl sold fish to Anna.", "Ben went home. Carl too."])
    assert by_kind(doc, "relationship") == []


def test_a_name_said_in_dialogue_is_not_present() -> None:
    text = '"I love Ben," Anna told Carl. Anna smiled at Carl. Carl kissed Anna.'
    quote = Quote("q1", 1, 11, "u1", "c1", ("c3",), "explicit", 0.9)
    doc = make_doc([text, "Anna kissed Carl again. Ben was away."], quotes=(quote,))
    rel = by_kind(doc, "relationship")
    assert rel == ["Anna/Carl"]


def test_main_characters_rank_by_prominence_and_minor_ones_are_dropped() -> None:
    doc = make_doc(["Anna. Anna. Anna. Anna. Anna. Ben. Ben. Ben.", "Carl."])
    chars = [t for t in suggest(doc).suggestions if t.kind == "character"]
    assert [t.tag for t in chars] == ["Anna", "Ben"]
    assert chars[0].score == 1.0
    assert dict(chars[1].counts)["mentions"] == 3


def test_narration_tags_from_scenes() -> None:
    scenes = [
        ("c1", "first", "present"),
        ("c2", "first", "present"),
        ("c1", "first", "past"),
        ("c2", "first", "present"),
    ]
    doc = make_doc(["Anna ran home.", "Ben went away.", "Anna ran home.", "Ben went away."], scenes=scenes)
    narration = {t.tag: t for t in suggest(doc).suggestions if t.kind == "narration"}
    assert sorted(narration) == ["Alternating Points of View", "First Person", "Present Tense"]
    assert narration["First Person"].score == 1.0
    assert narration["Present Tense"].score == 0.75
    assert dict(narration["Alternating Points of View"].counts)["switches"] == 3


def test_one_pov_or_past_third_person_gives_no_narration_tag() -> None:
    scenes = [("c1", "third", "past"), ("c1", "third", "past"), ("c2", "third", "past")]
    assert by_kind(make_doc(["Anna.", "Anna.", "Ben."], scenes=scenes), "narration") == []


def test_names_match_ao3_tags() -> None:
    assert names_match(["Giles"], "Rupert Giles")
    assert names_match(["Buffy Summers"], "Buffy Summers (Buffy the Vampire Slayer)")
    assert names_match(["the Harbourmaster"], "The Harbourmaster")
    assert names_match(["Zoë"], "Zoe Washburne")
    assert not names_match(["Buffy"], "Dawn Summers")
    assert not names_match(["Mr."], "Mr. Smith")


def test_agreement_with_the_works_own_tags() -> None:
    work = WorkMeta(
        source_format="ao3-html",
        characters=("Anna Smith", "Ben Jones", "Dora"),
        relationships=("Anna Smith/Ben Jones", "Ben Jones & Dora"),
        additional_tags=("First Person POV", "Fluff"),
    )
    doc = make_doc(ROMANCE, work=work)
    tags = suggest(doc)
    # AO3's own spelling is used for the characters the work tags.
    assert [t.tag for t in tags.suggestions] == ["Anna Smith", "Ben Jones", "Carl", "Anna Smith/Ben Jones"]
    agree = {a.kind: a for a in tags.agreement}
    assert [(m.suggested, m.work) for m in agree["character"].matched] == [
        ("Anna Smith", "Anna Smith"),
        ("Ben Jones", "Ben Jones"),
    ]
    assert agree["character"].suggested_only == ("Carl",)
    assert agree["character"].work_only == ("Dora",)
    assert agree["character"].precision == round(2 / 3, 3)
    assert agree["character"].recall == round(2 / 3, 3)
    assert agree["relationship"].precision == 1.0
    assert agree["relationship"].recall == 0.5
    assert agree["narration"].work_only == ("First Person POV",)
    assert agree["narration"].precision is None
    assert agree["narration"].recall == 0.0


def test_no_agreement_without_work_tags_and_the_stage_writes_tags() -> None:
    doc = TagStage()(make_doc(ROMANCE))
    assert doc.tags.agreement == ()
    assert "Anna/Ben" in [t.tag for t in doc.tags.suggestions]

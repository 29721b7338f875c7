"""AO3 HTML downloads: metadata from the preface, story text from chapters only."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficlens.errors import FiclensError
from ficlens.model import Note, Series, Source
from ficlens.readers import ao3_html

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ao3"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def new_layout() -> Source:
    return ao3_html.read(load("multichapter_new.html"))


def spans(source: Source, style: str) -> list[str]:
    return [source.text[e.start : e.end] for e in source.emphasis if e.style == style]


def test_looks_like() -> None:
    for name in ("multichapter_new.html", "multichapter_old.html", "oneshot.html"):
        assert ao3_html.looks_like(load(name))
    assert not ao3_html.looks_like("<html><body><p>Archive of Our Own fan</p></body></html>")
    assert not ao3_html.looks_like("<html><body><div id='preface'>x</div></body></html>")


def test_new_layout_metadata(new_layout: Source) -> None:
    work = new_layout.work
    assert work.source_format == "ao3-html"
    assert work.title == "The Lighthouse Keeper's Ledger"
    assert work.authors == ("gullwing", "tidewater")
    assert work.url == "https://archiveofourown.org/works/4815162"
    assert work.id == "4815162"
    assert work.rating == ("Teen And Up Audiences",)
    assert work.warnings == ("No Archive Warnings Apply", "Major Character Death")
    assert work.categories == ("F/F", "Gen")
    assert work.fandoms == ("Harbour Lights (TV)",)
    assert work.relationships == ("Maren/Ottilie",)
    assert work.characters == ("Maren Voss", "Ottilie Brandt", "The Harbourmaster")
    assert work.additional_tags == ("Slow Burn", "Storms, Metaphorical and Otherwise")
    assert work.language == "English"
    assert work.series == (Series("Salt and Signal", 2, "https://archiveofourown.org/series/271828"),)
    assert work.collections == ("Coastal Fic Exchange 2023",)
    assert (work.published, work.updated, work.completed) == ("2023-03-01", "2023-04-12", None)
    assert work.words == 1234
    assert work.chapters == "2/3"
    assert work.summary == "Maren keeps the light. Ottilie keeps the books.\n\nNeither keeps her temper."
    assert work.notes == "Written for the exchange. Thanks to my beta!"
    assert work.end_notes == "Thank you for reading."
    assert work.warnings_read == ()


def test_new_layout_text_is_story_only(new_layout: Source) -> None:
    text = new_layout.text
    assert text.startswith("The lamp room smelled of paraffin and old rope.\n\n")
    assert text.endswith("Maren counted the gulls until she lost count.")
    for outside in (
        "Preface",
        "Posted originally",
        "Teen And Up",
        "Chapter 1",
        "Chapter Summary",
        "shipwreck",
        "weather permitting",
        "Thank you for reading",
        "Maren keeps the light",
        "Afterword",
        "comment",
        "\xa0",
    ):
        assert outside not in text
    assert "\u201cYou're late,\u201d Maren said, not turning round. \u201cAgain.\u201d" in text
    assert "Ottilie set the ledger on the table.\nIt was heavier than it looked." in text


def test_new_layout_chapters(new_layout: Source) -> None:
    text = new_layout.text
    first, second = new_layout.chapters
    assert first.title == "Chapter 1: The Ledger"
    assert second.title == "Chapter 2: Low Water"
    assert text[first.start : first.end].startswith("The lamp room")
    assert text[first.start : first.end].endswith("heavier than it looked.")
    assert text[second.start : second.end].startswith("Two\n\nThe tide went out")
    assert second.end == len(text)


def test_new_layout_emphasis(new_layout: Source) -> None:
    assert spans(new_layout, "italic") == ["old rope", "gulls"]
    assert spans(new_layout, "bold") == ["Again.", "Two"]


def test_new_layout_blocks(new_layout: Source) -> None:
    text = new_layout.text
    hints = [(b.hint, text[b.start : b.end]) for b in new_layout.blocks]
    ornament = text.index("~ * ~")
    assert hints[2] == ("break", "")
    assert new_layout.blocks[2].start == ornament
    assert hints[3] == ("center", "~ * ~")
    assert ("center", "Two") in hints
    assert ("heading", "Later") in hints
    assert [h for h, _ in hints].count("paragraph") == 5
    assert all(text[b.start : b.end] == text[b.start : b.end].strip() for b in new_layout.blocks)


def test_new_layout_notes(new_layout: Source) -> None:
    assert new_layout.notes == (
        Note("summary", None, "Maren keeps the light. Ottilie keeps the books.\n\nNeither keeps her temper."),
        Note("note", None, "Written for the exchange. Thanks to my beta!"),
        Note("summary", 0, "In which a book is found."),
        Note("note", 0, "Content note: a shipwreck is mentioned."),
        Note("end_note", 0, "More soon, weather permitting."),
        Note("end_note", None, "Thank you for reading."),
    )


def test_old_layout_bare_titles() -> None:
    source = ao3_html.read(load("multichapter_old.html"))
    assert [c.title for c in source.chapters] == ["Folding", "Launching"]
    assert source.work.completed == "2012-07-01"
    assert source.work.updated is None
    assert source.work.warnings == ("Creator Chose Not To Use Archive Warnings",)
    assert source.work.characters == ("Pim",)
    assert source.work.id == "271"
    assert source.notes == (Note("note", 1, "The last one, promise."),)
    assert source.text == (
        "Pim folded the first boat from a bus ticket.\n\n"
        "It sank at once, which seemed fair.\n\n"
        "The second boat floated all the way to the lock gates."
    )
    second = source.chapters[1]
    assert source.text[second.start : second.end] == "The second boat floated all the way to the lock gates."
    assert spans(source, "italic") == ["fair"]


def test_oneshot() -> None:
    source = ao3_html.read(load("oneshot.html"))
    assert source.work.title == "Small Hours"
    assert source.work.authors == ("Anonymous",)
    assert source.work.words == 64
    assert len(source.chapters) == 1
    assert source.chapters[0].title == "Small Hours"
    assert (source.chapters[0].start, source.chapters[0].end) == (0, len(source.text))
    assert source.notes == (Note("summary", None, "A bus, a driver, a question."),)
    assert spans(source, "italic") == ["Again"]
    assert "A bus, a driver" not in source.text


def test_older_toc_heading_chapters() -> None:
    html = """<html><body><div id="preface"><p class="message"><b>T</b><br/>Posted originally on the
    <a href="https://archiveofourown.org/">Archive of Our Own</a> at
    <a href="https://archiveofourown.org/works/5">https://archiveofourown.org/works/5</a>.</p></div>
    <div id="chapters" class="userstuff">
      <h2 class="toc-heading">Opening</h2>
      <div class="userstuff"><p>One.</p></div>
      <h2 class="toc-heading">Closing</h2>
      <div class="userstuff"><p>Two.</p></div>
    </div></body></html>"""
    source = ao3_html.read(html)
    assert [(c.title, source.text[c.start : c.end]) for c in source.chapters] == [
        ("Opening", "One."),
        ("Closing", "Two."),
    ]
    assert source.work.title == "T"


def test_malformed_html_still_reads() -> None:
    html = load("multichapter_new.html")
    broken = html[: html.index("Low Water")] + "<p><i>unclosed <b>tags"
    source = ao3_html.read(broken)
    assert source.work.title == "The Lighthouse Keeper's Ledger"
    assert source.chapters[0].title == "Chapter 1: The Ledger"
    assert "old rope" in source.text


def test_missing_preface_warns() -> None:
    source = ao3_html.read("<div id='chapters' class='userstuff'><div class='userstuff'><p>x</p></div></div>")
    assert source.text == "x"
    assert any("preface" in w for w in source.work.warnings_read)


def test_nul_is_not_text() -> None:
    with pytest.raises(FiclensError) as err:
        ao3_html.read("<p>a\x00b</p>")
    assert err.value.code.name == "E001"

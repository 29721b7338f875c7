"""EPUB: AO3 (calibre-split) and FanFicFare layouts, generic fallback, and hostile zips."""

from __future__ import annotations

import io
import zipfile

import pytest

from ficlens.errors import FiclensError
from ficlens.model import Note, Series
from ficlens.readers import epub

CONTAINER = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles><rootfile full-path="{opf}" media-type="application/oebps-package+xml"/></rootfiles>
</container>"""


def xhtml(body: str, title: str = "t", body_attrs: str = "") -> str:
    return f"""<?xml version='1.0' encoding='utf-8'?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{title}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8"/></head>
<body{body_attrs}>{body}</body></html>"""


def opf(metadata: str, pages: list[str], extra_items: str = "", toc: bool = False) -> str:
    items = "".join(
        f'<item id="p{i}" href="{p}" media-type="application/xhtml+xml"/>' for i, p in enumerate(pages)
    )
    refs = "".join(f'<itemref idref="p{i}"/>' for i in range(len(pages)))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
{metadata}</metadata>
<manifest>{items}{extra_items}</manifest>
<spine{' toc="ncx"' if toc else ""}>{refs}</spine></package>"""


def make_epub(files: dict[str, str | bytes], opf_path: str = "content.opf") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", CONTAINER.format(opf=opf_path))
        for name, content in files.items():
            z.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# -- AO3 ------------------------------------------------------------------------

AO3_PREFACE = """<div id="preface">
  <h2 class="toc-heading">Preface</h2>
  <p class="message"><b>Fog Index</b><br/>
    Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at
    <a href="https://archiveofourown.org/works/777001">https://archiveofourown.org/works/777001</a>.</p>
  <div class="meta"><dl class="tags">
    <dt>Rating:</dt><dd><a href="https://archiveofourown.org/tags/Mature">Mature</a></dd>
    <dt>Archive Warning:</dt>
    <dd><a href="https://archiveofourown.org/tags/x">No Archive Warnings Apply</a></dd>
    <dt>Category:</dt><dd><a href="https://archiveofourown.org/tags/M*s*M">M/M</a></dd>
    <dt>Fandom:</dt><dd><a href="https://archiveofourown.org/tags/y">Lantern Street</a></dd>
    <dt>Relationship:</dt><dd><a href="https://archiveofourown.org/tags/z">Ames/Corvin</a></dd>
    <dt>Characters:</dt><dd><a href="https://archiveofourown.org/tags/a">Ames</a>,
      <a href="https://archiveofourown.org/tags/c">Corvin</a></dd>
    <dt>Additional Tags:</dt><dd><a href="https://archiveofourown.org/tags/f">Fog</a></dd>
    <dt>Language:</dt><dd>English</dd>
    <dt>Series:</dt><dd>Part 3 of <a href="https://archiveofourown.org/series/42">Weathervane</a></dd>
    <dt>Stats:</dt><dd>Published: 2022-10-31 Completed: 2022-11-30 Words: 12,345 Chapters: 2/2</dd>
  </dl>
  <h1>Fog Index</h1>
  <div class="byline">by <a rel="author" href="https://archiveofourown.org/users/mist">mist</a></div>
  <p>Summary</p><blockquote class="userstuff"><p>A city that cannot see itself.</p></blockquote>
  </div></div>"""

AO3_CH1 = """<div id="chapters" class="userstuff"><div class="meta group">
  <h2 class="heading">Chapter 1: Visibility</h2>
  <p>Chapter Notes</p><blockquote class="userstuff"><p>Hello again.</p></blockquote>
  </div>
  <div class="userstuff"><p>Ames could not see <em>his own hands</em>.</p><hr/>
  <p>Corvin could.</p></div></div>"""

AO3_CH2 = """<div class="userstuff"><div class="meta group">
  <h2 class="heading">Chapter 2: Clearing</h2></div>
  <div class="userstuff"><p>By noon the fog <strong>lifted</strong>.</p></div>
  <div class="meta" id="endnotes2"><p>Chapter End Notes</p>
  <blockquote class="userstuff"><p>The end!</p></blockquote></div></div>"""

AO3_AFTER = """<div id="afterword"><h2 class="toc-heading">Afterword</h2>
  <p class="message">Please drop by the Archive and comment to let the creator know if you enjoyed
  their work!</p></div>"""


def ao3_epub() -> bytes:
    pages = [
        "Fog_Index_split_000.xhtml",
        "Fog_Index_split_001.xhtml",
        "Fog_Index_split_002.xhtml",
        "Fog_Index_split_003.xhtml",
    ]
    meta = """<dc:title>Fog Index</dc:title><dc:creator opf:role="aut">mist</dc:creator>
      <dc:publisher>Archive of Our Own</dc:publisher><dc:language>en</dc:language>
      <dc:subject>Fanworks</dc:subject><dc:subject>Mature</dc:subject>"""
    bodies = [AO3_PREFACE, AO3_CH1, AO3_CH2, AO3_AFTER]
    files: dict[str, str | bytes] = {"content.opf": opf(meta, pages)}
    files.update({p: xhtml(b, "Fog Index") for p, b in zip(pages, bodies, strict=True)})
    return make_epub(files)


def test_ao3_epub() -> None:
    source = epub.read(ao3_epub())
    work = source.work
    assert work.source_format == "ao3-epub"
    assert work.title == "Fog Index"
    assert work.authors == ("mist",)
    assert (work.url, work.id) == ("https://archiveofourown.org/works/777001", "777001")
    assert work.rating == ("Mature",)
    assert work.categories == ("M/M",)
    assert work.relationships == ("Ames/Corvin",)
    assert work.characters == ("Ames", "Corvin")
    assert work.series == (Series("Weathervane", 3, "https://archiveofourown.org/series/42"),)
    assert (work.published, work.completed, work.words, work.chapters) == (
        "2022-10-31",
        "2022-11-30",
        12345,
        "2/2",
    )
    assert source.text == ("Ames could not see his own hands.\n\nCorvin could.\n\nBy noon the fog lifted.")
    assert [c.title for c in source.chapters] == ["Chapter 1: Visibility", "Chapter 2: Clearing"]
    second = source.chapters[1]
    assert source.text[second.start : second.end] == "By noon the fog lifted."
    assert [(source.text[e.start : e.end], e.style) for e in source.emphasis] == [
        ("his own hands", "italic"),
        ("lifted", "bold"),
    ]
    assert [b.hint for b in source.blocks] == ["paragraph", "break", "paragraph", "paragraph"]
    assert source.notes == (
        Note("summary", None, "A city that cannot see itself."),
        Note("note", 0, "Hello again."),
        Note("end_note", 1, "The end!"),
    )
    for outside in ("Preface", "Afterword", "Posted originally", "comment", "Hello again"):
        assert outside not in source.text


# -- FanFicFare -----------------------------------------------------------------

FFF_TITLE = """<h3><a href="https://archiveofourown.org/works/31415">The Quiet Orchard</a> by
<a class="authorlink" href="https://archiveofourown.org/users/pomona">pomona</a></h3>
<div>
<b>Category:</b> Orchard Keepers (Web Series)<br />
<b>Genre:</b> Angst, Fluff<br />
<b>Language:</b> English<br />
<b>Status:</b> Completed<br />
<b>Characters:</b> Hale, Juniper<br />
<b>Relationships:</b> Hale/Juniper<br />
<b>Published:</b> 2021-05-01<br />
<b>Updated:</b> 2021-06-15<br />
<b>Packaged:</b> 2024-02-02 10:00:00<br />
<b>Rating:</b> General Audiences<br />
<b>Warnings:</b> No Archive Warnings Apply<br />
<b>Chapters:</b> 2<br />
<b>Words:</b> 4,321<br />
<b>Publisher:</b> archiveofourown.org<br />
<b>Series:</b> Seasons [2]<br />
<b>Summary:</b> <p>Apples, mostly.</p><p>Also <i>pears</i>.</p><br />
</div>"""


def fff_epub(title_page: str = FFF_TITLE) -> bytes:
    pages = ["OEBPS/title_page.xhtml", "OEBPS/toc_page.xhtml", "OEBPS/file0001.xhtml", "OEBPS/file0002.xhtml"]
    meta = """<dc:identifier id="fanficfare-uid">fanficfare-uid:archiveofourown.org-u1-s31415</dc:identifier>
      <dc:title id="id">The Quiet Orchard</dc:title><dc:creator opf:role="aut">pomona</dc:creator>
      <dc:contributor id="id-2">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
      <dc:language>en</dc:language><dc:publisher>archiveofourown.org</dc:publisher>"""
    files: dict[str, str | bytes] = {
        "content.opf": opf(meta, pages),
        pages[0]: xhtml(title_page, body_attrs=' class="fff_titlepage"'),
        pages[1]: xhtml(
            '<div><h3>Table of Contents</h3><a href="file0001.xhtml">1. Blossom</a><br/></div>',
            body_attrs=' class="fff_tocpage"',
        ),
        pages[2]: xhtml(
            '<h3 class="fff_chapter_title">1. Blossom</h3>\n<div class="fff_chapter_notes '
            'fff_head_notes"><b>Author\'s Note:</b><blockquote class="userstuff"><p>For S.</p>'
            "</blockquote><b>Summary for the Chapter:</b><blockquote><p>Ladders.</p></blockquote>"
            '</div><div id="story"><p>Hale climbed the ladder.</p><p><i>Careful,</i> said '
            'Juniper.</p></div><div class="fff_chapter_notes fff_foot_notes">'
            "<b>Notes for the Chapter:</b><blockquote><p>Short one.</p></blockquote></div>",
            body_attrs=' class="fff_chapter"',
        ),
        pages[3]: xhtml(
            '<h3 class="fff_chapter_title">2. Harvest</h3>\n<p>The baskets filled.</p>'
            '<div class="center">* * *</div><p>Then the <b>frost</b> came.</p>',
            body_attrs=' class="fff_chapter"',
        ),
    }
    return make_epub(files)


def test_fanficfare_epub() -> None:
    source = epub.read(fff_epub())
    work = source.work
    assert work.source_format == "fanficfare-epub"
    assert work.title == "The Quiet Orchard"
    assert work.authors == ("pomona",)
    assert (work.url, work.id) == ("https://archiveofourown.org/works/31415", "31415")
    assert work.fandoms == ("Orchard Keepers (Web Series)",)
    assert work.characters == ("Hale", "Juniper")
    assert work.relationships == ("Hale/Juniper",)
    assert work.rating == ("General Audiences",)
    assert work.warnings == ("No Archive Warnings Apply",)
    assert work.language == "English"
    assert (work.published, work.updated, work.completed) == ("2021-05-01", "2021-06-15", "2021-06-15")
    assert (work.words, work.chapters) == (4321, "2")
    assert work.series == (Series("Seasons", 2),)
    assert work.summary == "Apples, mostly.\n\nAlso pears."
    assert work.extra == (
        ("Genre", "Angst, Fluff"),
        ("Packaged", "2024-02-02 10:00:00"),
        ("Publisher", "archiveofourown.org"),
        ("Status", "Completed"),
    )
    assert source.text == (
        "Hale climbed the ladder.\n\nCareful, said Juniper.\n\n"
        "The baskets filled.\n\n* * *\n\nThen the frost came."
    )
    assert [c.title for c in source.chapters] == ["1. Blossom", "2. Harvest"]
    first, second = source.chapters
    assert source.text[first.start : first.end] == "Hale climbed the ladder.\n\nCareful, said Juniper."
    assert source.text[second.start : second.end].startswith("The baskets")
    assert [(source.text[e.start : e.end], e.style) for e in source.emphasis] == [
        ("Careful,", "italic"),
        ("frost", "bold"),
    ]
    assert [b.hint for b in source.blocks] == ["paragraph", "paragraph", "paragraph", "center", "paragraph"]
    assert "Table of Contents" not in source.text
    assert source.notes == (
        Note("summary", None, "Apples, mostly.\n\nAlso pears."),
        Note("note", None, "For S."),
        Note("summary", 0, "Ladders."),
        Note("end_note", 0, "Short one."),
    )
    assert work.notes == "For S."


def test_fanficfare_table_title_page() -> None:
    table = """<h3><a href="https://example.org/s/1">Tabled</a> by <a href="x">someone</a></h3>
    <table class="full">
    <tr><td><b>Category:</b></td><td>Furniture</td></tr>
    <tr><td colspan="2"><b>Summary:</b> A <i>table</i> story.</td></tr>
    <tr><td><b>Words:</b></td><td>12</td></tr>
    </table>"""
    work = epub.read(fff_epub(table)).work
    assert work.title == "Tabled"
    assert work.fandoms == ("Furniture",)
    assert work.summary == "A table story."
    assert work.words == 12


# -- generic --------------------------------------------------------------------


def test_generic_epub_with_ncx_titles() -> None:
    pages = ["text/one.xhtml", "text/two.xhtml"]
    meta = "<dc:title>Plain Book</dc:title><dc:creator>A. Writer</dc:creator><dc:language>en</dc:language>"
    ncx = """<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
    <navMap><navPoint id="a" playOrder="1"><navLabel><text>Opening</text></navLabel>
    <content src="text/one.xhtml"/></navPoint></navMap></ncx>"""
    ncx_item = '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>'
    files: dict[str, str | bytes] = {
        "OPS/content.opf": opf(meta, pages, ncx_item, toc=True),
        "OPS/toc.ncx": ncx,
        "OPS/text/one.xhtml": xhtml("<h1>Ignored Heading</h1><p>First page.</p>"),
        "OPS/text/two.xhtml": xhtml("<h2>Second</h2><p>Second <em>page</em>.</p>"),
    }
    source = epub.read(make_epub(files, "OPS/content.opf"))
    assert source.work.source_format == "epub"
    assert source.work.title == "Plain Book"
    assert source.work.authors == ("A. Writer",)
    assert source.text == "First page.\n\nSecond page."
    assert [c.title for c in source.chapters] == ["Opening", "Second"]
    assert [source.text[e.start : e.end] for e in source.emphasis] == ["page"]


def test_missing_spine_page_warns() -> None:
    files: dict[str, str | bytes] = {
        "content.opf": opf("<dc:title>Gap</dc:title>", ["a.xhtml", "b.xhtml"]),
        "a.xhtml": xhtml("<p>Only.</p>"),
    }
    source = epub.read(make_epub(files))
    assert source.text == "Only."
    assert any("b.xhtml" in w for w in source.work.warnings_read)


def test_non_utf8_page_is_decoded() -> None:
    page = xhtml("<p>Caf\u00e9 cr\u00e8me.</p>").replace("utf-8", "iso-8859-1").encode("latin-1")
    files: dict[str, str | bytes] = {
        "content.opf": opf("<dc:title>Enc</dc:title>", ["a.xhtml"]),
        "a.xhtml": page,
    }
    assert epub.read(make_epub(files)).text == "Caf\u00e9 cr\u00e8me."


# -- hostile and broken ---------------------------------------------------------


def code_of(data: bytes) -> str:
    with pytest.raises(FiclensError) as err:
        epub.read(data)
    return err.value.code.name


def test_not_a_zip() -> None:
    assert code_of(b"PK\x03\x04 this is not really a zip") == "E003"
    assert code_of(b"") == "E003"


def test_truncated_epub() -> None:
    data = ao3_epub()
    assert code_of(data[: len(data) // 2]) == "E003"


def test_zip_without_container() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("notes.txt", "just a zip")
    assert code_of(buffer.getvalue()) == "E003"


def test_missing_opf() -> None:
    assert code_of(make_epub({}, "nowhere.opf")) == "E003"


@pytest.mark.parametrize(
    "name", ["../evil.txt", "OEBPS/../../evil.txt", "/etc/passwd", "..\\evil.txt", "C:/evil.txt"]
)
def test_unsafe_names(name: str) -> None:
    data = make_epub(
        {"content.opf": opf("<dc:title>x</dc:title>", ["a.xhtml"]), "a.xhtml": xhtml("<p>x</p>"), name: "boo"}
    )
    assert code_of(data) == "E005"


def test_decompression_bomb() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER.format(opf="content.opf"))
        z.writestr("content.opf", opf("<dc:title>x</dc:title>", ["a.xhtml"]))
        z.writestr("a.xhtml", b"\0" * (60 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 200_000
    assert code_of(data) == "E004"


def test_bomb_with_lying_header() -> None:
    """A central directory claiming a small size must not let the real bytes through."""
    big = b"<p>" + b"a" * (51 * 1024 * 1024) + b"</p>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER.format(opf="content.opf"))
        z.writestr("content.opf", opf("<dc:title>x</dc:title>", ["a.xhtml"]))
        z.writestr("a.xhtml", big)
    data = bytearray(buffer.getvalue())
    # Patch the declared uncompressed size of a.xhtml in the central directory to 1 KB.
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"a.xhtml"))
    data[central + 24 : central + 28] = (1024).to_bytes(4, "little")
    assert code_of(bytes(data)) == "E003"  # zipfile stops at the claimed size; the CRC then fails


def test_inflated_bytes_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits apply to bytes actually read, not only to what the headers declare."""
    archive = epub._Archive(ao3_epub())
    monkeypatch.setattr(epub, "MAX_ENTRY_BYTES", 100)
    with pytest.raises(FiclensError) as err:
        archive.read("content.opf")
    assert err.value.code.name == "E004"
    monkeypatch.setattr(epub, "MAX_ENTRY_BYTES", 10**9)
    monkeypatch.setattr(epub, "MAX_TOTAL_BYTES", archive.total + 100)
    with pytest.raises(FiclensError) as err:
        archive.read("Fog_Index_split_000.xhtml")
    assert err.value.code.name == "E004"


def test_too_many_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(epub, "MAX_ENTRIES", 3)
    assert code_of(ao3_epub()) == "E004"

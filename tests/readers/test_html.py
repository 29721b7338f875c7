"""Generic HTML and the shared HTML-to-text engine."""

from __future__ import annotations

import time

from ficlens.model import Block
from ficlens.readers import html
from ficlens.readers.html_text import TextBuilder, parse_html, plain_text


def test_paragraphs_whitespace_and_entities() -> None:
    source = html.read("""<html><head><title> My   Story </title><style>p{}</style></head><body>
      <script>var x = "not text";</script>
      <p>Hello,
         world &amp; friends.&nbsp;</p>
      <p>  </p><p>&nbsp;</p>
      <p>Line one<br/>  line two <br></p>
    </body></html>""")
    assert source.work.source_format == "html"
    assert source.work.title == "My Story"
    assert source.text == "Hello, world & friends.\n\nLine one\nline two"
    assert source.blocks == (Block(0, 23, "paragraph"), Block(25, 42, "paragraph"))
    assert source.chapters == ()


def test_title_from_first_h1_and_heading_hint() -> None:
    source = html.read("<body><h1>The <i>Title</i></h1><p>Text.</p></body>")
    assert source.work.title == "The Title"
    assert source.text == "The Title\n\nText."
    assert [b.hint for b in source.blocks] == ["heading", "paragraph"]
    assert [source.text[e.start : e.end] for e in source.emphasis] == ["Title"]


def test_breaks_and_centering() -> None:
    source = html.read("""<body><p>Before.</p><hr><center>* * *</center>
      <div style="color: red; text-align:center">Mid</div><p>After.</p><hr/></body>""")
    text = source.text
    assert text == "Before.\n\n* * *\n\nMid\n\nAfter."
    assert [(b.hint, b.start, b.end) for b in source.blocks] == [
        ("paragraph", 0, 7),
        ("break", 9, 9),
        ("center", 9, 14),
        ("center", 16, 19),
        ("paragraph", 21, 27),
        ("break", len(text), len(text)),
    ]


def test_stray_text_lists_blockquotes() -> None:
    source = html.read("""<body><div>stray start<p>inside</p>stray end</div>
      <blockquote><p>quoted</p></blockquote><ul><li>one</li><li>two <b>bold</b></li></ul></body>""")
    assert source.text == "stray start\n\ninside\n\nstray end\n\nquoted\n\none\n\ntwo bold"
    assert [source.text[e.start : e.end] for e in source.emphasis] == ["bold"]


def test_nested_and_overlapping_emphasis() -> None:
    source = html.read("<p>a <i>b <b>c</b> d</i> <strong><em>e</em></strong> <i></i>f</p>")
    text = source.text
    assert text == "a b c d e f"
    found = [(text[e.start : e.end], e.style) for e in source.emphasis]
    assert found == [("b c d", "italic"), ("c", "bold"), ("e", "bold"), ("e", "italic")]


def test_double_br_splits_paragraph_and_emphasis() -> None:
    source = html.read("<p><i>first<br><br>second</i></p>")
    assert source.text == "first\n\nsecond"
    assert len(source.blocks) == 2
    assert [source.text[e.start : e.end] for e in source.emphasis] == ["first", "second"]


def test_malformed_markup() -> None:
    source = html.read("<p>one<p>two <i>three<div>four</b></span></p>")
    assert source.text == "one\n\ntwo three\n\nfour"
    assert "\n\n\n" not in source.text


def test_empty_document_warns() -> None:
    source = html.read("")
    assert source.text == ""
    assert source.work.warnings_read


def test_plain_text_helper() -> None:
    tree = parse_html("<blockquote><p>One  <i>two</i></p><p>Three</p></blockquote>")
    node = tree.css_first("blockquote")
    assert node is not None
    assert plain_text(node) == "One two\n\nThree"


def test_builder_spans() -> None:
    builder = TextBuilder()
    first = builder.mark()
    builder.add(parse_html("<p>a</p><p>b</p>").body)  # type: ignore[arg-type]
    second = builder.mark()
    builder.add_break()
    builder.add_text("c")
    assert builder.span(first, second) == (0, 4)
    assert builder.span(second) == (6, 7)
    text, blocks, _ = builder.result()
    assert text == "a\n\nb\n\nc"
    assert blocks[2] == Block(6, 6, "break")


def test_deep_nesting_does_not_recurse() -> None:
    depth = 20_000
    source = html.read("<div>" * depth + "<i>deep</i>" + "</div>" * depth)
    assert source.text == "deep"


def test_large_input_is_fast() -> None:
    para = "<p>She said <i>nothing</i> at all, and <b>then</b> left the room &amp; the house.</p>\n"
    page = "<html><body>" + para * (5_000_000 // len(para)) + "</body></html>"
    started = time.perf_counter()
    source = html.read(page)
    elapsed = time.perf_counter() - started
    assert len(source.blocks) == 5_000_000 // len(para)
    assert elapsed < 10

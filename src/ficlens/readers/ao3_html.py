"""AO3's own download: preface, chapters, afterword.

The archive renders every download from the same templates
(``app/views/downloads``): ``div#preface`` holds the tag list, byline,
summary and notes; ``div#chapters`` holds, per chapter, a ``div.meta`` with
the heading and chapter notes, the ``div.userstuff`` content and an optional
``div.meta#endnotesN``; ``div#afterword`` holds the work's end notes. Only the
content goes into the story text; everything else becomes metadata or notes.

The walk keys on those ids and classes wherever they sit rather than on one
exact nesting, because the EPUB reader feeds this module the concatenated
pages of calibre's split EPUB, in which the wrappers may repeat or vanish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborNode

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Chapter, Note, NoteKind, Series, Source, WorkMeta
from ficlens.readers.html_text import (
    SKIP_TAGS,
    TextBuilder,
    children,
    classes,
    inline_text,
    is_element,
    parse_html,
    plain_text,
)
from ficlens.readers.labels import LIST_FIELDS

_PREFACE = re.compile(r"""id\s*=\s*["']?preface\b""", re.IGNORECASE)
_CHAPTERS = re.compile(r"""id\s*=\s*["']?chapters\b""", re.IGNORECASE)
_CHAPTER_MARKERS = "div.meta, h2.heading, h2.toc-heading"
_MARKERS = "#preface, #afterword, #chapters, .userstuff, .meta, h2.heading, h2.toc-heading"
_WORK_ID = re.compile(r"/works/(\d+)")
_PART = re.compile(r"Part\s+(\d+)\s+of", re.IGNORECASE)
_STAT = re.compile(r"([A-Z][A-Za-z ]*?):\s*(\S+)")
#: How deep wrappers are searched for AO3's landmarks before content is taken as is.
_MAX_WRAPPER_DEPTH = 64


def looks_like(html: str) -> bool:
    """True for an AO3 download: the archive's name plus its preface/chapters layout."""
    head = html[:200_000]
    if "Archive of Our Own" not in head and "archiveofourown.org" not in head:
        return False
    return bool(_PREFACE.search(head)) or (bool(_CHAPTERS.search(head)) and "userstuff" in head)


def read(html: str, *, source_format: str = "ao3-html") -> Source:
    """Read an AO3 HTML download (or the joined pages of an AO3 EPUB)."""
    if "\x00" in html[:65536]:
        raise FiclensError(ErrorCode.E001, "the HTML contains NUL bytes")
    tree = parse_html(html)
    root = tree.body or tree.root
    reader = _Ao3Reader(source_format)
    if root is not None:
        reader.walk(root)
    if reader.fields.get("title") is None and tree.head is not None:
        title = tree.head.css_first("title")
        if title is not None and inline_text(title):
            reader.fields["title"] = inline_text(title)
    return reader.finish()


@dataclass(slots=True)
class _Chap:
    title: str | None
    mark: int
    explicit: bool


def _note_kind(label: str) -> NoteKind | None:
    label = label.lower()
    if "end note" in label or "endnote" in label:
        return "end_note"
    if "summary" in label:
        return "summary"
    if "note" in label:
        return "note"
    return None


def _labelled_quotes(node: LexborNode) -> list[tuple[NoteKind, str]]:
    """``<p>Label</p><blockquote>…</blockquote>`` pairs, the label naming the kind."""
    found: list[tuple[NoteKind, str]] = []
    label = ""
    stack = [iter(children(node))]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if not is_element(child):
            continue
        tag = child.tag
        cls = classes(child)
        if tag == "p" and not cls & {"byline", "message"}:
            label = inline_text(child)
        elif tag == "blockquote":
            kind = _note_kind(label)
            text = plain_text(child)
            if kind is not None and text:
                found.append((kind, text))
        elif tag == "div" and "endnote-link" not in cls and len(stack) < _MAX_WRAPPER_DEPTH:
            stack.append(iter(children(child)))
    return found


def _tag_values(dd: LexborNode) -> tuple[str, ...]:
    links = [inline_text(a) for a in dd.css("a")]
    values = links or [v.strip() for v in inline_text(dd).split(",")]
    return tuple(v for v in values if v)


def _series(dd: LexborNode) -> tuple[Series, ...]:
    found: list[Series] = []
    before = ""
    for child in children(dd):
        if child.tag == "a":
            parts = _PART.findall(before)
            title = inline_text(child)
            if title:
                found.append(Series(title, int(parts[-1]) if parts else None, child.attributes.get("href")))
            before = ""
        else:
            before += child.text(deep=True) if is_element(child) else (child.text_content or "")
    return tuple(found)


class _Ao3Reader:
    def __init__(self, source_format: str) -> None:
        self.source_format = source_format
        self.builder = TextBuilder()
        self.fields: dict[str, Any] = {}
        self.extra: list[tuple[str, str]] = []
        self.warnings: list[str] = []
        self.work_notes: list[Note] = []
        self.end_notes: list[Note] = []
        self.chapter_notes: list[Note] = []
        self.chapters: list[_Chap] = []
        self.saw_preface = False

    # -- layout ------------------------------------------------------------

    def walk(self, root: LexborNode) -> None:
        stack: list[tuple[Any, bool]] = [(iter(children(root)), False)]
        while stack:
            kids, in_chapters = stack[-1]
            child = next(kids, None)
            if child is None:
                stack.pop()
                continue
            if child.tag == "-text":
                if in_chapters and (child.text_content or "").strip():
                    self.content(child)
                continue
            if not is_element(child):
                continue
            tag = child.tag
            ident = child.id
            cls = classes(child)
            if ident == "preface":
                self.preface(child)
            elif ident == "afterword":
                self.afterword(child)
            elif ident == "chapters" or (
                "userstuff" in cls and tag == "div" and child.css_first(_CHAPTER_MARKERS) is not None
            ):
                # A split EPUB page may repeat the chapters wrapper without its id.
                stack.append((iter(children(child)), True))
            elif tag in ("h2", "h3") and cls & {"toc-heading", "heading"}:
                self.new_chapter(inline_text(child) or None)
            elif "meta" in cls:
                self.chapter_meta(child)
            elif "userstuff" in cls or in_chapters:
                self.content(child)
            elif tag in SKIP_TAGS:
                continue
            elif len(stack) < _MAX_WRAPPER_DEPTH and child.css_first(_MARKERS) is not None:
                stack.append((iter(children(child)), False))

    def new_chapter(self, title: str | None) -> None:
        self.chapters.append(_Chap(title, self.builder.mark(), True))

    def content(self, node: LexborNode) -> None:
        if not self.chapters:
            self.chapters.append(_Chap(None, self.builder.mark(), False))
        self.builder.add(node)

    def chapter_meta(self, node: LexborNode) -> None:
        heading = next(
            (c for c in children(node) if c.tag in ("h2", "h3") and classes(c) & {"heading", "toc-heading"}),
            None,
        )
        if heading is not None:
            self.new_chapter(inline_text(heading) or None)
        index = len(self.chapters) - 1 if self.chapters else None
        for kind, text in _labelled_quotes(node):
            self.chapter_notes.append(Note(kind, index, text))

    # -- preface and afterword ---------------------------------------------

    def preface(self, node: LexborNode) -> None:
        self.saw_preface = True
        message = node.css_first("p.message")
        if message is not None:
            bold = message.css_first("b")
            if bold is not None and inline_text(bold):
                self.fields.setdefault("title", inline_text(bold))
            for link in message.css("a"):
                href = link.attributes.get("href") or ""
                match = _WORK_ID.search(href)
                if match:
                    self.fields["url"] = href
                    self.fields["id"] = match.group(1)
                    break
        for dl in node.css("dl.tags"):
            self.tag_list(dl)
        h1 = node.css_first("h1")
        if h1 is not None and inline_text(h1):
            self.fields["title"] = inline_text(h1)
        byline = node.css_first(".byline")
        if byline is not None:
            names = [inline_text(a) for a in byline.css("a")]
            if not names:
                shown = re.sub(r"^by\s+", "", inline_text(byline), flags=re.IGNORECASE)
                names = [shown] if shown else []
            self.fields["authors"] = tuple(n for n in names if n)
        meta = node.css_first("div.meta") or node
        for kind, text in _labelled_quotes(meta):
            if kind == "summary":
                self.fields["summary"] = text
            elif kind == "note":
                self.fields["notes"] = text
            else:
                self.fields["end_notes"] = text
            self.work_notes.append(Note(kind, None, text))

    def afterword(self, node: LexborNode) -> None:
        for kind, text in _labelled_quotes(node):
            if kind == "end_note":
                self.fields["end_notes"] = text
                self.end_notes.append(Note("end_note", None, text))

    def tag_list(self, dl: LexborNode) -> None:
        label = ""
        for child in children(dl):
            if child.tag == "dt":
                label = inline_text(child).rstrip(":").strip()
            elif child.tag == "dd" and label:
                self.tag_entry(label, child)

    def tag_entry(self, label: str, dd: LexborNode) -> None:
        key = label.lower()
        if key in LIST_FIELDS:  # preface <dt> labels, singular and plural
            self.fields[LIST_FIELDS[key]] = _tag_values(dd)
        elif key == "language":
            self.fields["language"] = inline_text(dd) or None
        elif key == "series":
            self.fields["series"] = _series(dd)
        elif key == "stats":
            self.stats(inline_text(dd))
        else:
            self.extra.append((label, inline_text(dd)))

    def stats(self, text: str) -> None:
        for name, value in _STAT.findall(text):
            key = name.strip().lower()
            if key in ("published", "updated", "completed"):
                self.fields[key] = value
            elif key == "words":
                digits = re.sub(r"\D", "", value)
                if digits:
                    self.fields["words"] = int(digits)
                else:
                    self.warnings.append(f"unreadable word count {value!r}")
            elif key == "chapters":
                self.fields["chapters"] = value
            else:
                self.extra.append((name.strip(), value))

    # -- result ------------------------------------------------------------

    def finish(self) -> Source:
        if not self.saw_preface:
            self.warnings.append("no AO3 preface found: work metadata is missing")
        builder = self.builder
        spans: list[tuple[_Chap, tuple[int, int] | None]] = []
        for i, chap in enumerate(self.chapters):
            end_mark = self.chapters[i + 1].mark if i + 1 < len(self.chapters) else None
            span = builder.span(chap.mark, end_mark)
            if span is None and not chap.explicit:
                continue
            spans.append((chap, span))
        text, blocks, emphasis = builder.result()
        title = self.fields.get("title")
        chapters: list[Chapter] = []
        previous_end = 0
        for chap, span in spans:
            start, end = span if span is not None else (previous_end, previous_end)
            name = chap.title if chap.title is not None or len(spans) > 1 else title
            chapters.append(Chapter(start, end, name))
            previous_end = end
        if not text:
            self.warnings.append("no story text found")
        work = WorkMeta(
            source_format=self.source_format,
            extra=tuple(sorted(self.extra)),
            warnings_read=tuple(self.warnings),
            **self.fields,
        )
        notes = (*self.work_notes, *self.chapter_notes, *self.end_notes)
        return Source(
            text=text, work=work, blocks=blocks, chapters=tuple(chapters), emphasis=emphasis, notes=notes
        )

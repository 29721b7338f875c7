"""The one place HTML becomes text: paragraphs, emphasis and block hints.

Every HTML-based reader (AO3 HTML, EPUB, plain HTML) feeds elements to a
`TextBuilder`, so all of them agree on what a paragraph is, how whitespace
collapses and where emphasis offsets fall. Paragraphs are joined with a blank
line; a blank line never occurs inside one (two ``<br>`` in a row start a new
paragraph, as a reader sees it), so later stages can trust ``"\\n\\n"``.

The walk is iterative: hostile input nested thousands of levels deep must not
exhaust Python's recursion limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ficlens.model import Block, BlockHint, Emphasis, EmphasisStyle

#: Never rendered as text.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "head",
        "title",
        "noscript",
        "template",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "select",
        "textarea",
        "button",
        "input",
        "img",
        "video",
        "audio",
        "canvas",
        "meta",
        "link",
        "base",
        "map",
        "area",
        "source",
        "track",
        "picture",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Elements that begin and end a paragraph of their own.
BLOCK_TAGS = (
    frozenset(
        {
            "p",
            "div",
            "blockquote",
            "li",
            "ul",
            "ol",
            "dl",
            "dt",
            "dd",
            "section",
            "article",
            "aside",
            "header",
            "footer",
            "nav",
            "main",
            "center",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "td",
            "th",
            "caption",
            "pre",
            "figure",
            "figcaption",
            "address",
            "details",
            "summary",
            "body",
            "html",
            "form",
            "fieldset",
            "legend",
            "hgroup",
            "menu",
            "dialog",
            "search",
        }
    )
    | HEADING_TAGS
)
EMPHASIS_TAGS: dict[str, EmphasisStyle] = {"em": "italic", "i": "italic", "strong": "bold", "b": "bold"}

#: What a browser collapses. A no-break space is folded in too: in fan fiction
#: it is padding (``<p>&nbsp;</p>``), never meaning.
_WS = re.compile(r"[ \t\n\r\f\xa0]+")
_CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_CENTER_CLASSES = frozenset({"center", "centered", "text-center", "align-center", "aligncenter"})
_RANK: dict[BlockHint, int] = {"paragraph": 0, "break": 0, "center": 1, "heading": 2}


def parse_html(html: str) -> LexborHTMLParser:
    """Parse leniently; lexbor repairs any markup, so this never raises on content."""
    return LexborHTMLParser(html.replace("\x00", ""))


def children(node: LexborNode) -> list[LexborNode]:
    out: list[LexborNode] = []
    child = node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def is_element(node: LexborNode) -> bool:
    tag = node.tag
    return tag is not None and tag != "" and tag[0] not in "-!_#"


def classes(node: LexborNode) -> frozenset[str]:
    value = node.attributes.get("class") if is_element(node) else None
    return frozenset(value.split()) if value else frozenset()


def normalize_space(text: str) -> str:
    return _WS.sub(" ", text).strip()


def inline_text(node: LexborNode) -> str:
    """A node's text on one line, as a title or tag value is shown."""
    if node.tag == "-text":
        return normalize_space(node.text_content or "")
    return normalize_space(node.text(deep=True, separator=""))


def is_centered(node: LexborNode) -> bool:
    if node.tag == "center":
        return True
    attrs = node.attributes
    align = attrs.get("align")
    if align and align.strip().lower() == "center":
        return True
    style = attrs.get("style")
    if style and _CENTER_STYLE.search(style):
        return True
    cls = attrs.get("class")
    return cls is not None and not _CENTER_CLASSES.isdisjoint(cls.lower().split())


@dataclass(slots=True, eq=False)
class _Mark:
    style: EmphasisStyle
    start: int | None = None
    open: bool = True


class _BlockExit:
    __slots__ = ()


_BLOCK_EXIT = _BlockExit()


class TextBuilder:
    """Accumulates story text from HTML nodes, keeping offsets as it goes.

    Paragraphs open lazily at the first visible character, so empty elements
    and whitespace leave no trace, and a ``<hr>`` can be placed at the start
    of whatever paragraph really comes next.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._len = 0
        self._blocks: list[Block] = []
        self._pending_breaks: list[int] = []
        self._emphasis: list[Emphasis] = []
        self._marks: list[_Mark] = []
        self._unstarted: list[_Mark] = []
        self._hints: list[BlockHint] = ["paragraph"]
        self._in_para = False
        self._para_start = 0
        self._para_hint: BlockHint = "paragraph"
        self._space = False
        self._newlines = 0

    @property
    def length(self) -> int:
        return self._len

    # -- building blocks -------------------------------------------------

    def _append(self, s: str) -> None:
        self._parts.append(s)
        self._len += len(s)

    def _start_para(self) -> None:
        if self._len:
            self._append("\n\n")
        self._para_start = self._len
        self._para_hint = self._hints[-1]
        for index in self._pending_breaks:
            self._blocks[index] = Block(self._len, self._len, "break")
        self._pending_breaks.clear()
        self._in_para = True

    def _close_para(self) -> None:
        self._blocks.append(Block(self._para_start, self._len, self._para_hint))
        for mark in self._marks:
            if mark.start is not None:
                self._emphasis.append(Emphasis(mark.start, self._len, mark.style))
                mark.start = None
                self._unstarted.append(mark)
        self._in_para = False

    def _emit(self, s: str) -> None:
        if not self._in_para:
            self._start_para()
        elif self._newlines >= 2:
            self._close_para()
            self._start_para()
        elif self._newlines == 1:
            self._append("\n")
        elif self._space:
            self._append(" ")
        self._newlines = 0
        self._space = False
        if self._unstarted:
            for mark in self._unstarted:
                if mark.open:
                    mark.start = self._len
            self._unstarted.clear()
        self._append(s)

    def add_text(self, text: str) -> None:
        """Inline text, collapsed as a browser would render it."""
        if not text:
            return
        collapsed = _WS.sub(" ", text)
        if collapsed[0] == " ":
            self._space = True
            collapsed = collapsed[1:]
        if not collapsed:
            return
        trailing = collapsed[-1] == " "
        self._emit(collapsed[:-1] if trailing else collapsed)
        if trailing:
            self._space = True

    def line_break(self) -> None:
        if self._in_para:
            self._newlines += 1
            self._space = False

    def end_paragraph(self) -> None:
        if self._in_para:
            self._close_para()
        self._space = False
        self._newlines = 0

    def add_break(self) -> None:
        """A scene break: zero-length, placed where the next paragraph starts."""
        self.end_paragraph()
        self._pending_breaks.append(len(self._blocks))
        self._blocks.append(Block(self._len, self._len, "break"))

    # -- walking HTML ----------------------------------------------------

    def add(self, root: LexborNode, skip: frozenset[int] = frozenset()) -> None:
        """Add a node and everything under it. ``skip`` holds ``mem_id`` of nodes
        a reader has already used elsewhere (a chapter heading, say)."""
        stack: list[LexborNode | _Mark | _BlockExit] = [root]
        while stack:
            item = stack.pop()
            if isinstance(item, _BlockExit):
                self.end_paragraph()
                self._hints.pop()
                continue
            if isinstance(item, _Mark):
                if item.start is not None and self._len > item.start:
                    self._emphasis.append(Emphasis(item.start, self._len, item.style))
                item.open = False
                if self._marks and self._marks[-1] is item:
                    self._marks.pop()
                continue
            node = item
            tag = node.tag
            if tag == "-text":
                self.add_text(node.text_content or "")
                continue
            if not tag or tag[0] in "-!_#" or tag in SKIP_TAGS:
                continue
            if skip and node.mem_id in skip:
                continue
            if tag == "br":
                self.line_break()
                continue
            if tag == "hr":
                self.add_break()
                continue
            if tag in BLOCK_TAGS:
                self.end_paragraph()
                parent = self._hints[-1]
                own: BlockHint = (
                    "heading" if tag in HEADING_TAGS else ("center" if is_centered(node) else "paragraph")
                )
                self._hints.append(own if _RANK[own] > _RANK[parent] else parent)
                stack.append(_BLOCK_EXIT)
            elif tag in EMPHASIS_TAGS:
                mark = _Mark(EMPHASIS_TAGS[tag])
                self._marks.append(mark)
                self._unstarted.append(mark)
                stack.append(mark)
            kids = children(node)
            kids.reverse()
            stack.extend(kids)

    def add_all(self, nodes: Iterable[LexborNode], skip: frozenset[int] = frozenset()) -> None:
        for node in nodes:
            self.add(node, skip)

    # -- reading back ----------------------------------------------------

    def mark(self) -> int:
        """A position in the block list, to find later what was added since."""
        self.end_paragraph()
        return len(self._blocks)

    def span(self, start_mark: int, end_mark: int | None = None) -> tuple[int, int] | None:
        """Offsets covered by the paragraphs added between two marks."""
        self.end_paragraph()
        first: int | None = None
        last = 0
        for block in self._blocks[start_mark:end_mark]:
            if block.hint == "break":
                continue
            if first is None:
                first = block.start
            last = block.end
        return None if first is None else (first, last)

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def result(self) -> tuple[str, tuple[Block, ...], tuple[Emphasis, ...]]:
        self.end_paragraph()
        for index in self._pending_breaks:
            self._blocks[index] = Block(self._len, self._len, "break")
        self._pending_breaks.clear()
        emphasis = sorted(self._emphasis, key=lambda e: (e.start, -e.end, e.style))
        return self.text, tuple(self._blocks), tuple(emphasis)


def plain_text(nodes: LexborNode | Iterable[LexborNode]) -> str:
    """Paragraph text of a note or summary, paragraphs joined by a blank line."""
    builder = TextBuilder()
    if isinstance(nodes, LexborNode):
        builder.add(nodes)
    else:
        builder.add_all(nodes)
    return builder.result()[0]

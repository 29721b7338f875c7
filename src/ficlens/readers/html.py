"""Any HTML that is not an AO3 download: the body, paragraph by paragraph.

Nothing here guesses at chapters or notes; headings, rules and centred lines
are passed on as block hints so the structure stage can decide what they are.
"""

from __future__ import annotations

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Source, WorkMeta
from ficlens.readers.html_text import TextBuilder, inline_text, parse_html


def read(html: str) -> Source:
    """Read a generic HTML page; the title comes from ``<title>`` or the first ``<h1>``."""
    if "\x00" in html[:65536]:
        raise FiclensError(ErrorCode.E001, "the HTML contains NUL bytes")
    tree = parse_html(html)
    warnings: list[str] = []
    title: str | None = None
    if tree.head is not None:
        node = tree.head.css_first("title")
        title = inline_text(node) or None if node is not None else None
    root = tree.body or tree.root
    builder = TextBuilder()
    if root is not None:
        if title is None:
            h1 = root.css_first("h1")
            title = inline_text(h1) or None if h1 is not None else None
        builder.add(root)
    text, blocks, emphasis = builder.result()
    if not text:
        warnings.append("no text found in the HTML body")
    work = WorkMeta(source_format="html", title=title, warnings_read=tuple(warnings))
    return Source(text=text, work=work, blocks=blocks, emphasis=emphasis)

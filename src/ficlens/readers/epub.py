"""EPUB: AO3's, FanFicFare's, or anyone's, read safely from memory.

An EPUB is a zip of XHTML pages ordered by the OPF spine. Untrusted zips can
lie, so every entry name is checked before anything is read (E005), the entry
count and declared sizes are checked against limits, and the bytes actually
inflated are counted as they are read, chunk by chunk, since a header's size
field is only a claim (E004). XML is parsed without entities, DTDs or network.

Which kind of EPUB it is decides where metadata comes from:

* AO3 (publisher "Archive of Our Own", or AO3's preface markup in the pages):
  the pages are joined and handed to the AO3 HTML reader, which already knows
  the preface, chapter and afterword layout.
* FanFicFare (contributor/identifier naming FanFicFare, or ``fff_`` body
  classes): its title page's ``<b>Label:</b> value`` entries give the
  metadata; each ``fff_chapter`` page is a chapter titled by its ``h3``.
* Anything else: spine order, one chapter per page with text, titles from the
  NCX or a leading heading, OPF ``dc:title``/``dc:creator``.
"""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from charset_normalizer import from_bytes
from lxml import etree
from selectolax.lexbor import LexborNode

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Chapter, Note, NoteKind, Series, Source, WorkMeta
from ficlens.readers import ao3_html
from ficlens.readers.html_text import (
    HEADING_TAGS,
    TextBuilder,
    children,
    classes,
    inline_text,
    normalize_space,
    parse_html,
    plain_text,
)

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 300 * 1024 * 1024
_CHUNK = 64 * 1024

_XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    load_dtd=False,
    dtd_validation=False,
    recover=True,
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._-]+)""", re.IGNORECASE)
_WORK_ID = re.compile(r"/works/(\d+)")
_SERIES_PART = re.compile(r"^(.*?)\s*\[(\d+)\]\s*$")
_HTML_TYPES = ("application/xhtml+xml", "text/html", "application/html")


# -- the zip -------------------------------------------------------------------


def _check_name(name: str) -> None:
    unified = name.replace("\\", "/")
    if not name or "\x00" in name:
        raise FiclensError(ErrorCode.E005, f"{name!r} is empty or contains NUL")
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        raise FiclensError(ErrorCode.E005, f"{name!r} is an absolute path")
    if ".." in unified.split("/"):
        raise FiclensError(ErrorCode.E005, f"{name!r} climbs out of the book with '..'")


class _Archive:
    """The zip, with every read counted against the limits."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as err:
            raise FiclensError(ErrorCode.E003, f"not a readable zip ({err})") from None
        if len(infos) > MAX_ENTRIES:
            raise FiclensError(ErrorCode.E004, f"{len(infos):,} entries, over the limit of {MAX_ENTRIES:,}")
        for info in infos:
            _check_name(info.filename)
        declared = 0
        for info in infos:
            if info.file_size > MAX_ENTRY_BYTES:
                raise FiclensError(
                    ErrorCode.E004,
                    f"{info.filename!r} claims {info.file_size:,} bytes, "
                    f"over the per-entry limit of {MAX_ENTRY_BYTES:,}",
                )
            declared += info.file_size
        if declared > MAX_TOTAL_BYTES:
            raise FiclensError(
                ErrorCode.E004,
                f"entries claim {declared:,} bytes in all, over the limit of {MAX_TOTAL_BYTES:,}",
            )
        self.names = {info.filename for info in infos if not info.is_dir()}
        self.total = 0

    def read(self, name: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zip.open(name) as handle:
                while True:
                    chunk = handle.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    self.total += len(chunk)
                    if size > MAX_ENTRY_BYTES:
                        raise FiclensError(
                            ErrorCode.E004,
                            f"{name!r} inflates past the per-entry limit of {MAX_ENTRY_BYTES:,} bytes",
                        )
                    if self.total > MAX_TOTAL_BYTES:
                        raise FiclensError(ErrorCode.E004, f"entries inflate past {MAX_TOTAL_BYTES:,} bytes")
                    chunks.append(chunk)
        except FiclensError:
            raise
        except KeyError:
            raise FiclensError(ErrorCode.E003, f"missing entry {name!r}") from None
        except (
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            ValueError,
            NotImplementedError,
            RuntimeError,
        ) as err:
            raise FiclensError(ErrorCode.E003, f"cannot inflate {name!r} ({err})") from None
        return b"".join(chunks)


def _xml(data: bytes, what: str) -> Any:
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError) as err:
        raise FiclensError(ErrorCode.E003, f"{what} is not well-formed XML ({err})") from None
    if root is None:
        raise FiclensError(ErrorCode.E003, f"{what} is not XML")
    return root


def _local(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _decode(data: bytes, name: str, warnings: list[str]) -> str:
    """XHTML is UTF-8 by rule; honour a declared encoding, else guess and say so."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    head = data[:2048]
    match = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data).best()
    if best is not None:
        warnings.append(f"{name}: not UTF-8, read as {best.encoding}")
        return str(best)
    warnings.append(f"{name}: not UTF-8, read as Latin-1")
    return data.decode("latin-1")


# -- the package document ----------------------------------------------------


@dataclass(slots=True)
class _Page:
    name: str
    html: str
    properties: str = ""


@dataclass(slots=True)
class _Package:
    title: str | None = None
    creators: list[str] = field(default_factory=list)
    language: str | None = None
    publisher: str | None = None
    description: str | None = None
    contributors: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    pages: list[_Page] = field(default_factory=list)
    toc: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _resolve(base_dir: str, href: str) -> str | None:
    path = unquote(href.split("#", 1)[0])
    if not path:
        return None
    joined = posixpath.normpath(posixpath.join(base_dir, path))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        return None
    return joined


def _load(data: bytes) -> _Package:
    archive = _Archive(data)
    package = _Package()
    if "META-INF/container.xml" not in archive.names:
        raise FiclensError(ErrorCode.E003, "no META-INF/container.xml")
    container = _xml(archive.read("META-INF/container.xml"), "META-INF/container.xml")
    opf_path = next(
        (el.get("full-path") for el in container.iter() if _local(el) == "rootfile" and el.get("full-path")),
        None,
    )
    if opf_path is None:
        raise FiclensError(ErrorCode.E003, "container.xml names no rootfile")
    opf_name = _resolve("", opf_path)
    if opf_name is None or opf_name not in archive.names:
        raise FiclensError(ErrorCode.E003, f"the package document {opf_path!r} is missing")
    opf = _xml(archive.read(opf_name), opf_name)
    base = posixpath.dirname(opf_name)

    manifest: dict[str, tuple[str, str, str]] = {}
    spine: list[tuple[str, bool]] = []
    toc_id: str | None = None
    for el in opf.iter():
        name = _local(el)
        text = (
            normalize_space("".join(el.itertext()))
            if name
            in (
                "title",
                "creator",
                "language",
                "publisher",
                "description",
                "contributor",
                "identifier",
                "source",
            )
            else ""
        )
        if name == "title" and text and package.title is None:
            package.title = text
        elif name == "creator" and text:
            package.creators.append(text)
        elif name == "language" and text and package.language is None:
            package.language = text
        elif name == "publisher" and text:
            package.publisher = text
        elif name == "description" and text:
            package.description = "".join(el.itertext())
        elif name == "contributor" and text:
            package.contributors.append(text)
        elif name == "identifier" and text:
            package.identifiers.append(text)
        elif name == "source" and text:
            package.sources.append(text)
        elif name == "item" and el.get("id") and el.get("href"):
            manifest[el.get("id")] = (el.get("href"), el.get("media-type") or "", el.get("properties") or "")
        elif name == "spine":
            toc_id = el.get("toc")
        elif name == "itemref" and el.get("idref"):
            spine.append((el.get("idref"), (el.get("linear") or "yes").lower() != "no"))

    if toc_id and toc_id in manifest:
        ncx_name = _resolve(base, manifest[toc_id][0])
        if ncx_name and ncx_name in archive.names:
            package.toc = _ncx_titles(archive.read(ncx_name), posixpath.dirname(ncx_name))

    seen: set[str] = set()
    for idref, linear in spine:
        if idref not in manifest:
            package.warnings.append(f"spine item {idref!r} is not in the manifest")
            continue
        href, media_type, properties = manifest[idref]
        page_name = _resolve(base, href)
        if page_name is None or page_name in seen:
            continue
        if media_type and media_type not in _HTML_TYPES:
            continue
        if not linear or "nav" in properties.split():
            continue
        if page_name not in archive.names:
            package.warnings.append(f"spine page {page_name!r} is missing from the EPUB")
            continue
        seen.add(page_name)
        package.pages.append(
            _Page(page_name, _decode(archive.read(page_name), page_name, package.warnings), properties)
        )
    if not package.pages:
        package.warnings.append("the spine lists no readable pages")
    return package


def _ncx_titles(data: bytes, base: str) -> dict[str, str]:
    """First NCX label per page: chapter names for EPUBs with no better source."""
    titles: dict[str, str] = {}
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return titles
    if root is None:
        return titles
    for point in root.iter():
        if _local(point) != "navpoint":
            continue
        label = next(
            (normalize_space("".join(t.itertext())) for t in point.iter() if _local(t) == "text"), ""
        )
        src = next((c.get("src") for c in point if _local(c) == "content" and c.get("src")), None)
        page = _resolve(base, src) if src else None
        if page and label and page not in titles:
            titles[page] = label
    return titles


# -- the three kinds ---------------------------------------------------------


def read(data: bytes) -> Source:
    """Read an EPUB held in memory; raises FiclensError E003/E004/E005 on a bad one."""
    package = _load(data)
    if _is_fanficfare(package):
        source = _read_fanficfare(package)
    elif _is_ao3(package):
        source = _read_ao3(package)
    else:
        source = _read_generic(package)
    if package.warnings:
        work = dataclasses.replace(source.work, warnings_read=(*source.work.warnings_read, *package.warnings))
        source = dataclasses.replace(source, work=work)
    return source


def _is_fanficfare(package: _Package) -> bool:
    if any("fanficfare" in c.lower() for c in package.contributors):
        return True
    if any(i.lower().startswith("fanficfare-uid") for i in package.identifiers):
        return True
    return any(re.search(r"""<body[^>]*class\s*=\s*["'][^"']*\bfff_""", p.html[:4096]) for p in package.pages)


def _is_ao3(package: _Package) -> bool:
    if package.publisher and "archive of our own" in package.publisher.lower():
        return True
    return any(ao3_html.looks_like(p.html) for p in package.pages[:3])


def _body_html(html: str) -> str:
    tree = parse_html(html)
    body = tree.body
    return body.inner_html or "" if body is not None else ""


def _read_ao3(package: _Package) -> Source:
    joined = "<html><body>" + "\n".join(_body_html(p.html) for p in package.pages) + "</body></html>"
    source = ao3_html.read(joined, source_format="ao3-epub")
    work = source.work
    fill: dict[str, Any] = {}
    if not work.title and package.title:
        fill["title"] = package.title
    if not work.authors and package.creators:
        fill["authors"] = tuple(package.creators)
    if fill:
        title = fill.get("title", work.title)
        chapters = source.chapters
        if len(chapters) == 1 and chapters[0].title is None:
            chapters = (dataclasses.replace(chapters[0], title=title),)
        source = dataclasses.replace(source, work=dataclasses.replace(work, **fill), chapters=chapters)
    return source


def _body(page: _Page) -> LexborNode | None:
    tree = parse_html(page.html)
    return tree.body


def _leading_heading(body: LexborNode) -> LexborNode | None:
    """The heading a page opens with, if it comes before any other text."""
    for node in body.traverse(include_text=True):
        if node.tag == "-text":
            if (node.text_content or "").strip():
                parent = node.parent
                while parent is not None and parent.tag not in HEADING_TAGS and parent.tag != "body":
                    parent = parent.parent
                return parent if parent is not None and parent.tag in HEADING_TAGS else None
        elif node.tag == "hr":
            return None
    return None


def _read_generic(package: _Package) -> Source:
    builder = TextBuilder()
    chapters: list[tuple[int, str | None]] = []
    for page in package.pages:
        body = _body(page)
        if body is None:
            continue
        heading = _leading_heading(body)
        skip = frozenset({heading.mem_id}) if heading is not None else frozenset()
        title = package.toc.get(page.name) or (inline_text(heading) if heading is not None else None)
        mark = builder.mark()
        builder.add(body, skip)
        if builder.span(mark) is not None:
            chapters.append((mark, title or None))
    summary = plain_text(parse_html(package.description).body or []) if package.description else None
    work = WorkMeta(
        source_format="epub",
        title=package.title,
        authors=tuple(package.creators),
        language=package.language,
        summary=summary or None,
    )
    notes = (Note("summary", None, summary),) if summary else ()
    return _finish(builder, chapters, work, notes)


def _finish(
    builder: TextBuilder, marks: list[tuple[int, str | None]], work: WorkMeta, notes: tuple[Note, ...] = ()
) -> Source:
    """Close the text and turn chapter marks into spans; pages with no text get no chapter."""
    chapters: list[Chapter] = []
    for i, (mark, title) in enumerate(marks):
        end_mark = marks[i + 1][0] if i + 1 < len(marks) else None
        span = builder.span(mark, end_mark)
        if span is not None:
            chapters.append(Chapter(span[0], span[1], title))
    text, blocks, emphasis = builder.result()
    return Source(
        text=text, work=work, blocks=blocks, chapters=tuple(chapters), emphasis=emphasis, notes=notes
    )


# -- FanFicFare ----------------------------------------------------------------

#: FanFicFare title-page labels with a typed home; the rest go to ``extra``.
_FFF_LISTS = {
    "rating": "rating",
    "ratings": "rating",
    "warnings": "warnings",
    "warning": "warnings",
    "category": "fandoms",
    "fandoms": "fandoms",
    "fandom": "fandoms",
    "ao3 categories": "categories",
    "categories": "categories",
    "characters": "characters",
    "relationships": "relationships",
    "pairings": "relationships",
    "ships": "relationships",
    "freeform tags": "additional_tags",
    "additional tags": "additional_tags",
    "collections": "collections",
}
_FFF_TEXT = {
    "title": "title",
    "language": "language",
    "published": "published",
    "updated": "updated",
    "chapters": "chapters",
    "summary": "summary",
    "description": "summary",
    "story url": "url",
    "source": "url",
    "url": "url",
}


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(", ") if v.strip())


def _title_entries(body: LexborNode) -> list[tuple[str, str]]:
    """``<b>Label:</b> value<br />`` runs (or the table variant) from a title page."""
    entries: list[tuple[str, str]] = []
    for row in body.css("tr"):
        cells = [c for c in children(row) if c.tag in ("td", "th")]
        label_node = row.css_first("b")
        if label_node is None:
            continue
        shown = inline_text(label_node)
        if not shown.endswith(":"):
            continue
        value_nodes = (
            [c for c in children(cells[0]) if c.mem_id != label_node.mem_id] if len(cells) == 1 else cells[1:]
        )
        entries.append((shown[:-1].strip(), plain_text(value_nodes)))
    if entries:
        return entries
    for container in [body, *body.css("div")]:
        entries.extend(_labelled_runs(container))
    return entries


def _labelled_runs(container: LexborNode) -> list[tuple[str, str]]:
    """A container's direct ``<b>Label:</b>`` children, each with the text up to the next."""
    runs: list[tuple[str, str]] = []
    label: str | None = None
    pending: list[LexborNode] = []
    for child in children(container):
        if child.tag in ("b", "strong") and inline_text(child).endswith(":"):
            if label is not None:
                runs.append((label, plain_text(pending)))
            label, pending = inline_text(child)[:-1].strip(), []
        elif label is not None:
            pending.append(child)
    if label is not None:
        runs.append((label, plain_text(pending)))
    return runs


def _chapter_notes(body: LexborNode, index: int, fields: dict[str, Any]) -> tuple[list[Note], set[int]]:
    """Notes FanFicFare copied into a chapter page (``div.fff_chapter_notes``), kept out of the text.

    Its AO3 adapter labels them "Author's Note:" (the work's notes, or end notes
    in a foot block), "Summary for the Chapter:" and "Notes for the Chapter:".
    """
    notes: list[Note] = []
    used: set[int] = set()
    for block in body.css("div.fff_chapter_notes"):
        used.add(block.mem_id)
        foot = "fff_foot_notes" in classes(block)
        for label, text in _labelled_runs(block):
            if not text:
                continue
            key = label.lower()
            if "author" in key:
                kind: NoteKind = "end_note" if foot else "note"
                fields.setdefault("end_notes" if foot else "notes", text)
                notes.append(Note(kind, None, text))
            elif not foot and ("summary" in key or "description" in key):
                notes.append(Note("summary", index, text))
            else:
                notes.append(Note("end_note" if foot else "note", index, text))
    return notes, used


def _read_fanficfare(package: _Package) -> Source:
    fields: dict[str, Any] = {
        "title": package.title,
        "authors": tuple(package.creators),
        "language": package.language,
    }
    extra: dict[str, str] = {}
    warnings: list[str] = []
    notes: list[Note] = []
    builder = TextBuilder()
    marks: list[tuple[int, str | None]] = []
    for page in package.pages:
        body = _body(page)
        if body is None:
            continue
        body_classes = classes(body)
        stem = posixpath.basename(page.name).lower()
        if "fff_titlepage" in body_classes or stem.startswith("title_page"):
            _fff_title_page(body, fields, extra, warnings)
            continue
        if body_classes & {"fff_tocpage", "fff_logpage", "fff_coverpage"} or stem.startswith(
            ("toc_page", "log_page", "cover")
        ):
            continue
        heading = body.css_first("h3.fff_chapter_title") or _leading_heading(body)
        title = inline_text(heading) if heading is not None else package.toc.get(page.name)
        page_notes, skip = _chapter_notes(body, len(marks), fields)
        notes.extend(page_notes)
        if heading is not None:
            skip.add(heading.mem_id)
        mark = builder.mark()
        builder.add(body, frozenset(skip))
        marks.append((mark, title or None))
    if fields.get("url") and not fields.get("id"):
        match = _WORK_ID.search(str(fields["url"]))
        if match:
            fields["id"] = match.group(1)
    if fields.get("summary"):
        notes.insert(0, Note("summary", None, fields["summary"]))
    work = WorkMeta(
        source_format="fanficfare-epub",
        extra=tuple(sorted(extra.items())),
        warnings_read=tuple(warnings),
        **fields,
    )
    return _finish(builder, marks, work, _ordered(notes))


def _ordered(notes: list[Note]) -> tuple[Note, ...]:
    """Work summary and notes first, then chapter notes, then the work's end notes, as AO3 orders them."""

    def rank(note: Note) -> int:
        if note.chapter is not None:
            return 1
        return 2 if note.kind == "end_note" else 0

    return tuple(sorted(notes, key=rank))


def _fff_title_page(
    body: LexborNode, fields: dict[str, Any], extra: dict[str, str], warnings: list[str]
) -> None:
    heading = body.css_first("h3")
    if heading is not None:
        links = [a for a in heading.css("a")]
        if links:
            fields["title"] = inline_text(links[0]) or fields.get("title")
            href = links[0].attributes.get("href")
            if href:
                fields["url"] = href
            authors = tuple(inline_text(a) for a in links[1:] if inline_text(a))
            if authors and not fields.get("authors"):
                fields["authors"] = authors
    series_url: str | None = None
    for label, value in _title_entries(body):
        key = label.lower()
        if not value:
            continue
        if key in _FFF_LISTS:
            target = _FFF_LISTS[key]
            fields[target] = tuple(dict.fromkeys((*fields.get(target, ()), *_split_list(value))))
        elif key in _FFF_TEXT:
            fields[_FFF_TEXT[key]] = value
        elif key in ("author", "authors"):
            fields["authors"] = _split_list(value)
        elif key in ("words", "word count"):
            digits = re.sub(r"\D", "", value)
            if digits:
                fields["words"] = int(digits)
            else:
                warnings.append(f"unreadable word count {value!r}")
        elif key == "series":
            match = _SERIES_PART.match(value)
            fields["series"] = (Series(match.group(1), int(match.group(2))) if match else Series(value),)
        elif key == "series url":
            series_url = value
        elif key == "story id":
            fields["id"] = value
        else:
            extra[label] = value
    if series_url and fields.get("series"):
        fields["series"] = (dataclasses.replace(fields["series"][0], url=series_url),)
    if extra.get("Status", "").lower() == "completed" and fields.get("updated"):
        fields["completed"] = fields["updated"]

"""Readers: bytes in, a `Source` out, the format chosen by content.

A file's suffix is only a hint: AO3 downloads get renamed, FanFicFare TXT and
plain text share ``.txt``, and an EPUB is a zip whatever it is called. Each
format lives in its own module; this one only decides which to call.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Source
from ficlens.readers import ao3_html, encoding, epub, fff_txt, html, text

#: Inputs above this size are refused (E006) rather than risk a machine's memory.
MAX_INPUT_BYTES = int(os.environ.get("FICLENS_MAX_INPUT_BYTES", 256 * 1024 * 1024))

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|html[\s>]|\?xml[^>]*>\s*(?:<!doctype[^>]*>\s*)?<html)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(r"<(?:p|br|div|body|head|em|i|b|strong|span)(?:\s[^<>]*)?/?>", re.IGNORECASE)


def looks_like_html(decoded: str, suffix: str = "") -> bool:
    """Markup at the top, or (for an .html file) tags in the first pages."""
    head = decoded[:4096]
    if _HTML_START.match(head):
        return True
    tags = len(_HTML_TAGS.findall(decoded[:20000]))
    stripped = head.lstrip()
    return (suffix in (".html", ".htm", ".xhtml") and tags > 0) or (stripped.startswith("<") and tags >= 2)


def read_bytes(data: bytes, suffix: str = "") -> Source:
    """Read one work from its bytes. ``suffix`` (".html", …) is a tie-breaker."""
    if len(data) > MAX_INPUT_BYTES:
        raise FiclensError(
            ErrorCode.E006,
            f"{len(data):,} bytes, over the limit of {MAX_INPUT_BYTES:,} "
            "(set FICLENS_MAX_INPUT_BYTES to raise it)",
        )
    if data.startswith(_ZIP_MAGIC):
        return epub.read(data)
    decoded = encoding.decode(data)
    content = decoded.text
    if looks_like_html(content, suffix.lower()):
        reader = ao3_html.read if ao3_html.looks_like(content) else html.read
        source = reader(content)
    elif fff_txt.looks_like(content):
        source = fff_txt.read(content)
    else:
        source = text.read(content)
    if decoded.warning:
        work = dataclasses.replace(source.work, warnings_read=(*source.work.warnings_read, decoded.warning))
        source = dataclasses.replace(source, work=work)
    return source


def read_path(path: str | Path) -> Source:
    """Read one work from a file, naming the file in any error."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise FiclensError(
                ErrorCode.E006,
                f"{size:,} bytes, over the limit of {MAX_INPUT_BYTES:,} "
                "(set FICLENS_MAX_INPUT_BYTES to raise it)",
            )
        if p.is_dir():
            raise FiclensError(ErrorCode.E002, "it is a directory")
        data = p.read_bytes()
    except FiclensError as err:
        raise err.at(str(path)) from None
    except OSError as err:
        raise FiclensError(ErrorCode.E002, err.strerror or str(err), str(path)) from None
    try:
        return read_bytes(data, p.suffix)
    except FiclensError as err:
        raise err.at(str(path)) from None

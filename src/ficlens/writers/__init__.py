"""Writers: one module per output format, chosen by name or by suffix.

Writing is atomic: the output goes to a temporary file beside the target and
is renamed over it only when complete, so a failed run leaves no partial file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Document
from ficlens.writers import json as json_writer

Renderer = Callable[[Document], str]

#: Output format name → writer module (with ``render`` and ``SUFFIXES``).
WRITERS: dict[str, ModuleType] = {"json": json_writer}


def format_for(path: str | Path | None, fmt: str | None) -> str:
    """The format named by ``fmt``, else by the output suffix, else JSON."""
    if fmt:
        if fmt not in WRITERS:
            raise FiclensError(ErrorCode.E007, f"{fmt!r}; choose one of {', '.join(sorted(WRITERS))}")
        return fmt
    if path is None:
        return "json"
    suffix = Path(path).suffix.lower()
    for name, module in WRITERS.items():
        if suffix in module.SUFFIXES:
            return name
    raise FiclensError(
        ErrorCode.E007,
        f"no format writes {suffix or 'files without a suffix'!r}; "
        f"use --format with one of {', '.join(sorted(WRITERS))}",
    )


def render(doc: Document, fmt: str = "json") -> str:
    renderer: Renderer = WRITERS[format_for(None, fmt)].render
    return renderer(doc)


def write_atomic(path: str | Path, content: str) -> None:
    """Write ``content`` to ``path`` via a temporary file and a rename."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise FiclensError(ErrorCode.E008, err.strerror or str(err), str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
        os.replace(tmp, target)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise FiclensError(ErrorCode.E008, err.strerror or str(err), str(path)) from None
        raise


def write(doc: Document, path: str | Path, fmt: str | None = None) -> str:
    """Render ``doc`` in the chosen format and write it atomically; return the format."""
    chosen = format_for(path, fmt)
    write_atomic(path, render(doc, chosen))
    return chosen

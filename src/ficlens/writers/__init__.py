"""Writers: one module per output format, chosen by name or by suffix.

A writer module has ``SUFFIXES`` and either ``render(doc) -> str`` (one file)
or ``render_files(doc) -> {suffix: str}`` (several files beside each other,
named ``STEM + suffix``; ``-o`` gives the stem, with or without one of the
suffixes). Writing is atomic: every output goes to a temporary file beside
its target and is renamed over it only when all are complete, so a failed
run leaves no partial file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import ModuleType

from ficlens.errors import ErrorCode, FiclensError
from ficlens.model import Document
from ficlens.writers import booknlp, html, jsonl, script
from ficlens.writers import json as json_writer

Renderer = Callable[[Document], str]

#: Output format name → writer module (with ``render`` and ``SUFFIXES``).
WRITERS: dict[str, ModuleType] = {
    "json": json_writer,
    "html": html,
    "script": script,
    "jsonl": jsonl,
    "booknlp": booknlp,
}


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


def check_single_file(fmt: str) -> None:
    """Refuse, before any work, a format that cannot go to one stream (stdout)."""
    if not hasattr(WRITERS[format_for(None, fmt)], "render"):
        raise FiclensError(ErrorCode.E012, f"{fmt} writes several files; give -o with a file stem")


def render(doc: Document, fmt: str = "json") -> str:
    check_single_file(fmt)
    renderer: Renderer = WRITERS[format_for(None, fmt)].render
    return renderer(doc)


def target(output: Path, input_path: Path, fmt: str | None) -> Path:
    """Where to write: ``output``, or inside it, named after the input, when it is a folder."""
    if not output.is_dir():
        return output
    module = WRITERS[format_for(None, fmt) if fmt else "json"]
    suffix = "" if hasattr(module, "render_files") else module.SUFFIXES[0]
    return output / (input_path.stem + suffix)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: The process's umask, read once: os.umask can only be read by setting it.
_UMASK = _umask()


def _mode(target: Path) -> int:
    """The permissions the written file gets: the old file's, or what a plain
    open() would give. (A temporary file is private, 0600, until told otherwise.)"""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return 0o666 & ~_UMASK


def _temporary(target: Path, content: str | Iterable[str]) -> str:
    """Write ``content`` (a string, or its pieces in order) to a new temporary
    file beside ``target``; return its name."""
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        os.chmod(tmp, _mode(target))
    except OSError as err:
        raise FiclensError(ErrorCode.E008, err.strerror or str(err), str(target)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            if isinstance(content, str):
                fh.write(content)
            else:
                fh.writelines(content)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_all_atomic(contents: Mapping[Path, str | Iterable[str]]) -> None:
    """Write every file via temporary files, renamed into place only once all are written."""
    written: list[tuple[str, Path]] = []
    current = next(iter(contents), Path("."))
    try:
        for current, content in contents.items():
            written.append((_temporary(current, content), current))
        for tmp, current in written:
            os.replace(tmp, current)
    except BaseException as err:
        for tmp, _ in written:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise FiclensError(ErrorCode.E008, err.strerror or str(err), str(current)) from None
        raise


def write_atomic(path: str | Path, content: str | Iterable[str]) -> None:
    """Write ``content`` to ``path`` via a temporary file and a rename."""
    write_all_atomic({Path(path): content})


def outputs(path: str | Path, fmt: str) -> list[Path]:
    """The files a write of ``fmt`` to ``path`` creates."""
    module = WRITERS[fmt]
    target = Path(path)
    if not hasattr(module, "render_files"):
        return [target]
    if target.suffix.lower() in module.SUFFIXES:
        target = target.with_suffix("")
    return [target.with_name(target.name + suffix) for suffix in module.SUFFIXES]


def write(doc: Document, path: str | Path, fmt: str | None = None) -> str:
    """Render ``doc`` in the chosen format and write it atomically; return the format."""
    chosen = format_for(path, fmt)
    module = WRITERS[chosen]
    if hasattr(module, "render_files"):
        files: dict[str, str] = module.render_files(doc)
        paths = outputs(path, chosen)
        write_all_atomic({p: files[suffix] for p, suffix in zip(paths, module.SUFFIXES, strict=True)})
    elif hasattr(module, "chunks"):
        write_atomic(path, module.chunks(doc))  # streamed: a long work is never one string
    else:
        write_atomic(path, render(doc, chosen))
    return chosen

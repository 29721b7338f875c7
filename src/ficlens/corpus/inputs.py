"""Enumerate the works of a batch from files, folders and zip archives.

Every work gets a ``work_id`` that is the same on every run over the same
inputs, so a rerun can tell finished works from unfinished ones: the first 16
hex digits of SHA-256 over the work's *key* and the SHA-256 of its bytes. The
key is the input's own name plus the path inside it (``ao3/fandom/123.html``,
``dump.zip!/works/123.html``), never an absolute path, so moving the corpus or
running from another folder keeps the ids; a file whose content changed gets a
new id and is analysed again. Identical key and content are one work.

Workers read a work by path (and zip member), never from the driver, so on a
cluster the inputs live on shared storage.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ficlens.errors import ErrorCode, FiclensError

#: Suffixes taken as works when a folder or an archive is walked. A file named
#: on the command line is always a work, whatever its suffix.
WORK_SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".epub"})
ARCHIVE_SUFFIXES = frozenset({".zip"})


@dataclass(frozen=True, slots=True)
class WorkInput:
    """One work to analyse: where its bytes are and its stable id."""

    work_id: str
    key: str
    path: str
    member: str | None = None
    sha256: str = ""
    size: int = 0

    @property
    def display(self) -> str:
        """How messages name the work: the file, or ``archive!/member``."""
        return f"{self.path}!/{self.member}" if self.member is not None else self.path

    def suffix(self) -> str:
        return Path(self.member if self.member is not None else self.path).suffix.lower()

    def read(self) -> bytes:
        """The work's bytes, read where the worker runs."""
        try:
            if self.member is None:
                return Path(self.path).read_bytes()
            with zipfile.ZipFile(self.path) as archive:
                return archive.read(self.member)
        except (OSError, zipfile.BadZipFile, KeyError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            raise FiclensError(ErrorCode.E002, reason, self.display) from None


def work_id(key: str, sha256: str) -> str:
    """The stable id of a work: its key and its content, hashed."""
    return hashlib.sha256(f"{key}\n{sha256}".encode()).hexdigest()[:16]


def _make(key: str, path: Path, data: bytes, member: str | None = None) -> WorkInput:
    digest = hashlib.sha256(data).hexdigest()
    return WorkInput(work_id(key, digest), key, str(path), member, digest, len(data))


def _is_epub(archive: zipfile.ZipFile) -> bool:
    names = set(archive.namelist())
    return "META-INF/container.xml" in names or "mimetype" in names


def _hidden(part: str) -> bool:
    return part.startswith(".") or part == "__MACOSX"


def _from_zip(path: Path, key: str) -> Iterator[WorkInput]:
    """The works in a zip archive; the zip itself when it is an EPUB, or when it
    is too damaged to list (then the worker's reader fails it and it is recorded)."""
    members: list[WorkInput] = []
    try:
        with zipfile.ZipFile(path) as archive:
            if not _is_epub(archive):
                for info in sorted(archive.infolist(), key=lambda i: i.filename):
                    name = info.filename
                    if info.is_dir() or any(_hidden(p) for p in name.split("/")):
                        continue
                    if Path(name).suffix.lower() in WORK_SUFFIXES:
                        members.append(_make(f"{key}!/{name}", path, archive.read(name), name))
                yield from members
                return
    except (zipfile.BadZipFile, OSError, EOFError):
        pass
    yield _make(key, path, path.read_bytes())


def _from_file(path: Path, key: str, named: bool) -> Iterator[WorkInput]:
    suffix = path.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES or (named and zipfile.is_zipfile(path)):
        yield from _from_zip(path, key)
    elif named or suffix in WORK_SUFFIXES:
        yield _make(key, path, path.read_bytes())


def enumerate_works(inputs: Iterable[str | Path]) -> Iterator[WorkInput]:
    """Every work of the inputs, each once, folders walked in sorted order.

    A missing input is an error at once (E013): a typo should not silently
    give an empty corpus. Unreadable works inside are left to the workers, so
    they are recorded as failures like any other bad input.
    """
    seen: set[str] = set()
    for raw in inputs:
        root = Path(raw).absolute()  # workers elsewhere (Dask) share paths, not a working folder
        if not root.exists():
            raise FiclensError(ErrorCode.E013, "no such file or folder", str(raw))
        name = root.resolve().name
        if root.is_dir():
            found: Iterator[WorkInput] = _walk(root, name)
        else:
            found = _from_file(root, name, named=True)
        for work in found:
            if work.work_id not in seen:
                seen.add(work.work_id)
                yield work


def _walk(root: Path, name: str) -> Iterator[WorkInput]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for file in sorted(f for f in files if not _hidden(f)):
            path = Path(folder) / file
            if path.is_file():
                yield from _from_file(path, f"{name}/{path.relative_to(root).as_posix()}", named=False)

"""The catalogue of coded errors, in spaCy's manner.

Every error a user can meet has a stable code, so a message can be searched
for and documented (docs/errors.md). The CLI prints ``path: [E###] message``
on one line and exits 2; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    E001 = "not a text document: {reason}"
    E002 = "cannot read the file: {reason}"
    E003 = "not a valid EPUB: {reason}"
    E004 = "EPUB exceeds a safety limit: {reason}"
    E005 = "EPUB has an unsafe entry name: {reason}"
    E006 = "input too large: {reason}"
    E007 = "unknown output format: {reason}"
    E008 = "cannot write the output: {reason}"
    E009 = "the spaCy model cannot be loaded: {reason}"
    E010 = "not a ficlens analysis: {reason}"
    E011 = "invalid pipeline: {reason}"
    E012 = "cannot write this format here: {reason}"
    E013 = "invalid batch input: {reason}"
    E014 = "analysis failed: {reason}"
    E015 = "not a batch output folder: {reason}"
    E016 = "the query failed: {reason}"
    E017 = "the Dask cluster cannot run the batch: {reason}"


class FiclensError(Exception):
    """An error with a code and a one-line message meant for users."""

    def __init__(self, code: ErrorCode, reason: str, path: str | None = None) -> None:
        self.code = code
        self.reason = reason
        self.path = path
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"[{self.code.name}] {self.code.value.format(reason=self.reason)}"
        return f"{self.path}: {text}" if self.path else text

    def at(self, path: str) -> FiclensError:
        """The same error, naming the file it concerns."""
        return FiclensError(self.code, self.reason, path)

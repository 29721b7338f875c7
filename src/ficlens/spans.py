"""Small helpers over sorted, non-overlapping spans (quotes, notes, paragraphs)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Generic, Protocol, TypeVar


class HasSpan(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=HasSpan)


class SpanIndex(Generic[S]):
    """Answer "which span holds offset x?" in O(log n) for sorted, disjoint spans."""

    def __init__(self, spans: Sequence[S]) -> None:
        self.spans = sorted(spans, key=lambda s: s.start)
        self.starts = [s.start for s in self.spans]

    def find(self, offset: int) -> int:
        """Index (into the sorted spans) of the span containing ``offset``, or -1."""
        k = bisect.bisect_right(self.starts, offset) - 1
        if k >= 0 and self.spans[k].start <= offset < self.spans[k].end:
            return k
        return -1

    def starting_in(self, start: int, end: int) -> list[S]:
        """The spans that begin in [start, end), in order."""
        return self.spans[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]

    def __contains__(self, offset: int) -> bool:
        return self.find(offset) >= 0

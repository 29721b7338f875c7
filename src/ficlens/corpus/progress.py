"""The live progress bar of a batch and the summary that closes it.

The bar (works/s, tokens/s, ETA, failures) is drawn only on a terminal; in a
log or a test the summary is still printed, so every run ends with its counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table


@dataclass(slots=True)
class BatchSummary:
    """What a batch did; ``analysed``, ``failed`` and the rates count this run only."""

    outdir: str
    total: int = 0
    already_done: int = 0
    failed_before: int = 0
    analysed: int = 0
    failed: int = 0
    rebuilt: int = 0
    tokens: int = 0
    words: int = 0
    seconds: float = 0.0
    #: Peak resident memory of each worker process, in bytes, by process id.
    peak_rss: dict[int, int] = field(default_factory=dict)

    @property
    def works_per_second(self) -> float:
        return (self.analysed + self.failed) / self.seconds if self.seconds else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    def table(self) -> Table:
        out = Table(title=f"ficlens batch → {self.outdir}", show_header=False)
        out.add_column("what")
        out.add_column("count", justify="right")
        rss = max(self.peak_rss.values(), default=0) / 2**20
        for label, value in (
            ("works in the inputs", f"{self.total:,}"),
            ("already done (skipped)", f"{self.already_done:,}"),
            ("failed before (skipped)", f"{self.failed_before:,}"),
            ("analysed now", f"{self.analysed:,}"),
            ("failed now (failures.jsonl)", f"{self.failed:,}"),
            ("rows rebuilt from JSON", f"{self.rebuilt:,}"),
            ("tokens", f"{self.tokens:,}"),
            ("seconds", f"{self.seconds:,.1f}"),
            ("works/s", f"{self.works_per_second:,.2f}"),
            ("tokens/s", f"{self.tokens_per_second:,.0f}"),
            ("workers, peak RSS of the largest", f"{len(self.peak_rss)}, {rss:,.0f} MiB"),
        ):
            out.add_row(label, value)
        return out


class BatchProgress:
    """A rich progress bar fed with each finished work."""

    def __init__(self, summary: BatchSummary, console: Console, live: bool | None = None) -> None:
        self.summary = summary
        self.console = console
        self.started = time.perf_counter()
        self.progress = Progress(
            BarColumn(bar_width=20),
            MofNCompleteColumn(),
            TextColumn("{task.fields[wps]:.2f} works/s"),
            TextColumn("{task.fields[tps]:,.0f} tokens/s"),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            disable=not (console.is_terminal if live is None else live),
        )
        self.task = self.progress.add_task("works", total=None, wps=0.0, tps=0.0, failed=0)

    def __enter__(self) -> BatchProgress:
        self.progress.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.progress.stop()

    def start(self, todo: int) -> None:
        self.started = time.perf_counter()
        self.progress.update(self.task, total=todo, completed=0)

    def advance(self) -> None:
        s = self.summary
        s.seconds = time.perf_counter() - self.started
        self.progress.update(
            self.task,
            advance=1,
            wps=s.works_per_second,
            tps=s.tokens_per_second,
            failed=s.failed,
        )

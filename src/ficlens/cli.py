"""Thin typer commands over the plain Python API in `ficlens.pipeline`.

Errors a user can cause print one line on stderr, ``path: [E###] message``,
and exit 2; anything else prints one line and exits 1. ``--debug`` shows
the traceback instead, for developers.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from ficlens import __version__
from ficlens.errors import FiclensError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Who is in a story, who says each line and to whom, and whose eyes each scene is seen through.",
)

T = TypeVar("T")


def _guard(debug: bool, action: Callable[[], T]) -> T:
    """Run ``action``, turning failures into one clear line and an exit code."""
    try:
        return action()
    except FiclensError as err:
        if debug:
            raise
        typer.echo(f"ficlens: {err.message}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("ficlens: interrupted", err=True)
        raise typer.Exit(130) from None
    except Exception as err:
        if debug:
            raise
        first = str(err).splitlines()[0] if str(err) else ""
        typer.echo(
            f"ficlens: internal error: {type(err).__name__}: {first} (rerun with --debug for details)",
            err=True,
        )
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ficlens {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """ficlens: fiction analysis that runs on a laptop CPU and downloads nothing."""


@app.command()
def analyze(
    input: Annotated[
        Path,
        typer.Argument(
            help="A story: plain text, HTML (AO3 download or any page), "
            "EPUB (AO3, FanFicFare) or FanFicFare TXT."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Where to write; the suffix picks the format (.json, .html, .script, .jsonl, "
            ".tokens for booknlp). A folder: named after the input. Without it, the output goes "
            "to stdout.",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format: json, html (report), script, jsonl, booknlp (writes STEM.tokens, "
            "STEM.entities, STEM.quotes); overrides the suffix.",
        ),
    ] = None,
    stages: Annotated[
        str | None,
        typer.Option(
            "--stages",
            help="Comma-separated analysis stages to run (default: all); 'structure' for "
            "reading and structure alone.",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Analyse one work and write the analysis."""
    from ficlens import writers
    from ficlens.pipeline import analyze_path, default_pipeline

    def run() -> None:
        target = None if output is None else writers.target(output, input, fmt)
        chosen = writers.format_for(target, fmt)
        if target is None:
            writers.check_single_file(chosen)
        only = (
            None
            if stages is None
            else [s.strip() for s in stages.split(",") if s.strip() not in ("", "structure")]
        )
        doc = analyze_path(input, default_pipeline(only))
        if target is None:
            sys.stdout.write(writers.render(doc, chosen))
        else:
            writers.write(doc, target, chosen)
            written = ", ".join(str(p) for p in writers.outputs(target, chosen))
            typer.echo(f"wrote {written} ({chosen})", err=True)

    _guard(debug, run)


@app.command()
def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Works: any mix of files, folders (walked recursively) and zip archives."),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="Output folder: works/, tables/, failures.jsonl.")
    ],
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: the number of cores).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="local (a process pool) or dask (a Dask distributed cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (tcp://…); without it, a LocalCluster."),
    ] = None,
    retry_failures: Annotated[
        bool, typer.Option("--retry-failures", help="Analyse again the works recorded in failures.jsonl.")
    ] = False,
    part_works: Annotated[
        int, typer.Option("--part-works", min=1, help="Works per Parquet part file of each table.")
    ] = 500,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Analyse a corpus into per-work JSON and Parquet tables; rerun the same command to resume."""
    from rich.console import Console

    from ficlens.corpus import run_batch

    def run() -> None:
        console = Console(stderr=True)
        summary = run_batch(
            inputs,
            output,
            jobs=jobs,
            engine=engine,
            scheduler=scheduler,
            retry_failures=retry_failures,
            part_works=part_works,
            console=console,
        )
        console.print(summary.table())

    _guard(debug, run)


@app.command()
def sql(
    outdir: Annotated[Path, typer.Argument(help="The output folder of `ficlens batch`.")],
    query: Annotated[
        str, typer.Argument(help="DuckDB SQL over the views works, characters, quotes, scenes, mentions.")
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or jsonl.")] = "table",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Query a batch's tables with DuckDB (docs/corpus.md has research queries)."""
    from ficlens.corpus import sql as corpus_sql

    def run() -> None:
        if fmt not in ("table", "csv", "jsonl"):
            from ficlens.errors import ErrorCode

            raise FiclensError(ErrorCode.E007, f"{fmt!r}; choose table, csv or jsonl")
        corpus_sql.print_result(corpus_sql.query(outdir, query), fmt)

    _guard(debug, run)


def main() -> None:
    app()


if __name__ == "__main__":
    main()

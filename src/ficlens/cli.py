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


def main() -> None:
    app()


if __name__ == "__main__":
    main()

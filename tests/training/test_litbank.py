"""LitBank's quotations as speaker gold: offsets, speakers and aliases."""

from __future__ import annotations

import sys

from tests.conftest import REPO, shared_path

sys.path.insert(0, str(REPO / "training"))
import litbank

EXCERPT = "1342_pride_and_prejudice_brat"


def test_quote_spans_are_the_annotated_quotations() -> None:
    root = shared_path("data", "litbank")
    rows = (root / "quotations" / "tsv" / f"{EXCERPT}.ann").read_text(encoding="utf-8").splitlines()
    annotated = sorted(r.split("\t")[6] for r in rows if r.startswith("QUOTE\t"))
    gold = litbank.gold(root, EXCERPT)
    # The annotation joins a quotation's sentences with spaces; the text puts each on a line.
    found = sorted(gold["text"][q["start"] : q["end"]].replace("\n", " ") for q in gold["quotes"])
    assert found == annotated


def test_every_speaker_is_a_character_with_a_readable_alias() -> None:
    root = shared_path("data", "litbank")
    gold = litbank.gold(root, EXCERPT)
    names = {c["name"]: c["aliases"] for c in gold["characters"]}
    assert {q["speaker"] for q in gold["quotes"]} <= set(names)
    # Entity ids ("Mr_Bennet-6") are no alias; their proper-name mentions are.
    assert all(not any(a.endswith(("-6", "-7", "_")) for a in aliases) for aliases in names.values())
    assert any("Mr . Bennet" in aliases or "Mr. Bennet" in aliases for aliases in names.values())

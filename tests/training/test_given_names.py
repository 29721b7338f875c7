"""The given-name table the census build writes."""

from __future__ import annotations

from ficlens.resources import given_names


def test_rare_short_names_listed_for_one_sex_have_no_set() -> None:
    names = given_names()
    assert names["buffy"] == "she" and names["andrew"] == "he"
    # Listed only among women, below the men's file's floor: names, of no known set.
    assert "wei" in names and names["wei"] is None and names["ying"] is None

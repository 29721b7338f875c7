"""Who "her mother" or "his wife" is: a relative named by their tie to someone.

Readers resolve these through the family's surname: Mrs. Bennet is
Elizabeth's mother, Mr. Emerson's son is George Emerson. Speech tags
("said her mother") and pronoun resolution (an antecedent "her father")
both need it.
"""

from __future__ import annotations

from collections import defaultdict

from ficlens.model import Document

#: Relatives a speech tag names by their tie to someone ("said her mother"),
#: and the title the relative bears with the family's surname.
KIN_TITLES = {
    "mother": "mrs",
    "mamma": "mrs",
    "mama": "mrs",
    "mum": "mrs",
    "mummy": "mrs",
    "mom": "mrs",
    "mommy": "mrs",
    "wife": "mrs",
    "father": "mr",
    "papa": "mr",
    "dad": "mr",
    "daddy": "mr",
    "husband": "mr",
    # Children and siblings: the one other character of the family of that sex
    # who is not its Mr. or Mrs. ("his son" of Mr. Emerson is George Emerson).
    "son": "he",
    "brother": "he",
    "daughter": "she",
    "sister": "she",
}
#: The words for a parent ("papa", "mom"): what a child calls them, too.
PARENTS = frozenset(w for w, t in KIN_TITLES.items() if t in ("mr", "mrs") and w not in ("wife", "husband"))


class Kin:
    """Who "her mother" or "his wife" is: the one character called Mrs. (or,
    for a father or husband, Mr.) by the surname of the owner; "his son" or
    "her sister", the one other character of that surname and sex who is not
    called Mr. or Mrs. by it. Nothing when the owner has no known surname or
    several characters fit."""

    def __init__(self, doc: Document, genders: dict[str, str]) -> None:
        self.surnames: dict[str, set[str]] = {}
        #: (relation, surname) → who bears it: ("mrs", "Bennet") → Mrs. Bennet; ("he", "Emerson") → George.
        self.kin_of: dict[tuple[str, str], set[str]] = defaultdict(set)
        family: dict[str, set[str]] = defaultdict(set)
        for c in doc.characters:
            names: set[str] = set()
            for alias in c.aliases:
                words = alias.split()
                title = words[0].lower().rstrip(".") if words else ""
                if title in ("mr", "mrs", "mister", "missus") and len(words) > 1:
                    self.kin_of["mrs" if title in ("mrs", "missus") else "mr", words[-1]].add(c.id)
                if len(words) > 1 and words[-1][:1].isupper():
                    names.add(words[-1])
            self.surnames[c.id] = names
            for name in names:
                family[name].add(c.id)
        parents = {cid for ids in self.kin_of.values() for cid in ids}
        #: Who is called Mr. or Mrs. by a surname: a parent or spouse, no child.
        self.titled = frozenset(parents)
        for name, ids in family.items():
            for cid in ids - parents:
                if genders.get(cid) in ("he", "she"):
                    self.kin_of[genders[cid], name].add(cid)

    def relative(self, owner: str, relation: str) -> str | None:
        found = {
            cid for name in self.surnames.get(owner, ()) for cid in self.kin_of.get((relation, name), ())
        }
        if found == {owner} and relation in ("mrs", "mr"):
            # "said her mother" with "her" taken for Mrs. Bennet herself: no one is
            # their own mother, so "her" is one of her children, and the mother is she.
            return owner
        found.discard(owner)
        return found.pop() if len(found) == 1 else None

"""Link pronouns in the narration to characters, and learn each character's pronouns.

A character's pronouns are learned from the text, not from an M/F list: a
title votes (Mr. → he, Mrs. → she), and so does every pronoun that picks up
a character named as subject just before it ("Spike looked up. He…"). The
resolver then walks the narration in order and links each third-person
pronoun to the most recent character whose pronouns fit, preferring
subjects, as readers do, and a possessive to its own clause's subject
("Harry checked his watch"). First-person pronouns in the narration go to
the narrator, when the work has one, or to the character a scene's POV
header names; "you" in a second-person work goes to the reader.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any, ClassVar

from ficlens.model import Character, Document, Mention, Quote, TokenTable
from ficlens.resources import given_names, lexicon, speech_forms, verb_forms
from ficlens.spans import HasSpan, SpanIndex
from ficlens.stages.base import Stage
from ficlens.stages.characters import (
    FEMALE_TITLES,
    GENDERED_NOUNS,
    MALE_TITLES,
    NARRATOR_ID,
    NARRATOR_NAME,
    READER_ID,
)
from ficlens.stages.kin import KIN_TITLES, Kin
from ficlens.stages.quote_features import SPEECH_VERBS

#: Pronoun form → the set it belongs to (the key of a character's distribution).
PRONOUN_SETS: dict[str, str] = {
    **dict.fromkeys(("he", "him", "his", "himself"), "he"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "she"),
    **dict.fromkeys(("they", "them", "their", "theirs", "themself", "themselves"), "they"),
    **dict.fromkeys(("xe", "xem", "xyr", "xyrs", "xemself"), "xe"),
    **dict.fromkeys(("ze", "zir", "zirs", "zirself", "hir", "hirs", "hirself"), "ze"),
}
FIRST_PERSON = frozenset(("i", "me", "my", "mine", "myself"))
#: "You" in the narration of a second-person work: the reader, its protagonist.
SECOND_PERSON = frozenset(("you", "your", "yours", "yourself"))
NEO_POSSESSIVES = frozenset(("xyr", "zir", "hir"))
#: Pronoun sets linked only to characters known to use them.
SPECIFIC_SETS = frozenset(("they", "xe", "ze"))
SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass"))
#: Nouns of a person's body, voice and mind: their possessor is the real topic
#: of a clause ("Gregory's eyes blinked. He said…": he is Gregory).
BODY_NOUNS = lexicon("body_nouns")
#: How far back (in paragraphs) a pronoun may look for its antecedent.
WINDOW_PARAGRAPHS = 3
#: Votes for "they" a character needs before it is taken for singular they.
THEY_MIN = 2
#: Paragraphs back within a scene that its last "she" (or "he") is still the
#: likeliest one, when no one of that pronoun is within `WINDOW_PARAGRAPHS`.
SCENE_REACH = 20


@dataclass(frozen=True, slots=True)
class CorefPrediction:
    mentions: tuple[Mention, ...]
    pronouns: dict[str, dict[str, float]]
    narrator: str | None
    #: The reader ("you") of a second-person work, named "Y/N" or not.
    reader: str | None = None


def subject_like(tokens: TokenTable, row: int) -> bool:
    """Whether a token is its clause's subject, or owns a subject that is part
    of its bearer ("Gregory's eyes blinked", not "Buffy's mother looked up")."""
    dep = tokens.deps[row]
    if dep in SUBJECT_DEPS:
        return True
    head = int(tokens.head[row])
    return (
        dep == "poss"
        and head != row
        and tokens.deps[head] in SUBJECT_DEPS
        and tokens.words[head].lower() in BODY_NOUNS
    )


def name_subject(tokens: TokenTable, character: Sequence[str | None], row: int) -> bool:
    """Whether the name that begins at ``row`` is its clause's subject: "Mr.
    Emerson returned" is parsed with "Mr." a compound of the subject "Emerson"."""
    last = row
    while last + 1 < len(tokens) and character[last + 1] == character[row]:
        last += 1
    return any(subject_like(tokens, r) for r in range(row, last + 1))


class Children:
    """Each token's syntactic dependents, as two flat arrays (16 bytes a token,
    where a dict of lists would take ten times that on a long work)."""

    def __init__(self, head: Any) -> None:
        import numpy as np

        rows = np.arange(len(head))
        dependent = head != rows
        parents = head[dependent]
        order = np.argsort(parents, kind="stable")
        self._kids = rows[dependent][order]
        self._offsets = np.searchsorted(parents[order], np.arange(len(head) + 1))

    def get(self, row: int, default: Sequence[int] = ()) -> Sequence[int]:
        lo, hi = int(self._offsets[row]), int(self._offsets[row + 1])
        return self._kids[lo:hi].tolist() if hi > lo else default


class TokenIndex:
    """Per-token facts every attribution stage needs: the character a token
    names, and the quote (if any) it stands inside."""

    def __init__(self, doc: Document, tokens: TokenTable) -> None:
        self.tokens = tokens
        names = SpanIndex([m for m in doc.mentions if m.kind == "name"])
        quotes = SpanIndex(doc.quotes)
        other = SpanIndex(doc.non_speech)
        self.character: list[str | None] = []
        #: Index into ``doc.quotes`` of the quote holding each token, or -1.
        self.quote: list[int] = []
        #: Whether each token is quoted at all (dialogue or not): not narration.
        self.quoted: list[bool] = []
        #: Paragraphs holding a line of dialogue.
        self.dialogue: set[int] = set()
        quote_pos = {id(q): k for k, q in enumerate(doc.quotes)}
        for start, paragraph in zip(tokens.start.tolist(), tokens.paragraph.tolist(), strict=True):
            k = names.find(start)
            self.character.append(names.spans[k].character if k >= 0 else None)
            j = quotes.find(start)
            self.quote.append(quote_pos[id(quotes.spans[j])] if j >= 0 else -1)
            self.quoted.append(j >= 0 or start in other)
            if j >= 0:
                self.dialogue.add(paragraph)
        self.children = Children(tokens.head)

    def subject_of(self, verb: int) -> int | None:
        for child in self.children.get(verb, ()):
            if self.tokens.deps[child] in SUBJECT_DEPS:
                return child
        return None


#: Votes a title ("Mrs.") casts for a pronoun set, against one for each
#: pronoun the text ties to the character.
TITLE_VOTES = 3


def title_genders(characters: Sequence[Character]) -> dict[str, str]:
    """A character's pronoun set as its titles imply (Mr. → he, Mrs./Miss → she),
    or a name that is a kin word ("Mom", "my father")."""
    out: dict[str, str] = {}
    for c in characters:
        votes: Counter[str] = Counter()
        for alias in c.aliases:
            words = alias.lower().split()
            first = words[0].rstrip(".") if words else ""
            if first in MALE_TITLES:
                votes["he"] += 1
            elif first in FEMALE_TITLES:
                votes["she"] += 1
            elif words and (len(words) == 1 or first in ("my", "our")) and words[-1] in GENDERED_NOUNS:
                votes[GENDERED_NOUNS[words[-1]]] += 1  # "Mom", "my father"
        if votes:
            out[c.id] = votes.most_common(1)[0][0]
    return out


def name_genders(characters: Sequence[Character]) -> dict[str, str]:
    """A character's pronoun set as a given name borne almost only by one sex
    suggests (Buffy, Andrew; not Angel or Sam): a prior for characters the text
    ties no pronoun to, never a vote against the text's own evidence. A clipped
    form of a longer name of theirs does not count: "Bell" for Bellamy is not
    the woman's name Bell."""
    names = given_names()
    out: dict[str, str] = {}
    for c in characters:
        firsts = {alias.split()[0].lower() for alias in c.aliases if alias.split()}
        firsts = {f for f in firsts if not any(g != f and g.startswith(f) for g in firsts)}
        votes = Counter(sex for first in firsts if (sex := names.get(first)))
        if votes:
            out[c.id] = votes.most_common(1)[0][0]
    return out


def genders_of(characters: Sequence[Character], votes: dict[str, Counter[str]]) -> dict[str, str | None]:
    """Each character's pronoun set: the text's votes decide; a given name only
    where the text cast none."""
    prior = name_genders(characters)
    out: dict[str, str | None] = {}
    for c in characters:
        counts = votes.get(c.id)
        if counts and counts.get("they", 0) < THEY_MIN:
            # One "their" after a name is more often a plural's ("Pious families
            # … send their children"): alone it makes no one singular they.
            counts = Counter({g: n for g, n in counts.items() if g != "they"})
        out[c.id] = dominant(counts) if counts else prior.get(c.id)
    return out


def learn_genders(doc: Document, index: TokenIndex) -> dict[str, Counter[str]]:
    """Pronoun votes per character, from the two places where a pronoun almost
    surely picks up a named subject:

    - a possessive in the subject's own clause ("Buffy kept her stake");
    - the subject pronoun of the very next sentence's main clause
      ("Spike frowned. He looked away."),

    with no other name, line of dialogue or paragraph break in between. Any
    pronoun in a subordinate clause ("Buffy smiled, because he…") is too
    often someone else's to count.
    """
    tokens = index.tokens
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for cid, g in title_genders(doc.characters).items():
        votes[cid][g] += TITLE_VOTES
    last: tuple[str, int, int] | None = None  # (character, sentence, row of its verb)
    named_in: dict[int, set[str]] = defaultdict(set)  # sentence → characters named in it
    for row, named_here in enumerate(index.character):
        if named_here is not None:
            named_in[int(tokens.sentence[row])].add(named_here)
    for row in range(len(tokens)):
        if index.quoted[row] or (row and tokens.paragraph[row] != tokens.paragraph[row - 1]):
            last = None
            if index.quoted[row]:
                continue
        named = index.character[row]
        if named is not None:
            subject = tokens.deps[row] in SUBJECT_DEPS
            last = (named, int(tokens.sentence[row]), int(tokens.head[row])) if subject else None
            continue
        pset = PRONOUN_SETS.get(tokens.words[row].lower())
        if last is None or pset is None:
            continue
        gap = int(tokens.sentence[row]) - last[1]
        head = int(tokens.head[row])
        # spaCy does not know neopronouns ("xyr bag" parses as a compound), so
        # their possessives count in the subject's sentence whatever their parse.
        bound = gap == 0 and (
            (
                tokens.deps[row] == "poss"
                and int(tokens.head[head]) == last[2]
                and not _others_part(index, row)  # "Sakura took his hand"
            )
            or (pset in ("xe", "ze") and tokens.words[row].lower() in NEO_POSSESSIVES)
        )
        # Only when the subject is the one person named lately ("Tara watched
        # Xander work. Xander swore. She laughed." proves nothing of Xander).
        next_main = (
            gap == 1
            and tokens.deps[row] in SUBJECT_DEPS
            and tokens.deps[head] == "ROOT"
            and named_in[last[1]] | named_in[last[1] - 1] == {last[0]}
        )
        if pset == "they" and not bound:
            last = None  # a plural "they" after a named subject is too common to count
            continue
        if bound or next_main:
            votes[last[0]][pset] += 1
            last = None
        elif not (gap == 0 and tokens.deps[row] == "poss"):
            # Another pronoun in between ("Buffy smiled, because he deserved it.
            # He watched…"): someone else is in play, so the next one proves nothing.
            last = None
    return votes


#: Verbs whose object, a part of someone ("took his hand", "kissed her cheek"),
#: is most often another's, so its possessive says nothing of the subject; not
#: those of one's own gestures ("shook his head", "clasped her hands", "bit her lip").
_CONTACT_VERBS = frozenset("take grab kiss stroke caress seize pat cup nuzzle".split())


def dominant(votes: Counter[str]) -> str | None:
    if not votes:
        return None
    (best, n), *rest = [*votes.most_common(2), ("", 0)]
    return best if n >= 2 * rest[0][1] else None


def resolve_pronouns(
    doc: Document,
    index: TokenIndex,
    genders: dict[str, str | None],
    narrator: str | None,
    scene_pov: dict[int, str] | None = None,
    near: list[bool] | None = None,
    reader: str | None = None,
    voices: dict[int, str] | None = None,
    first_person: frozenset[int] = frozenset(),
) -> list[Mention]:
    """Link narration pronouns to the most recent fitting character.

    A candidate whose known pronouns match beats one whose pronouns are
    unknown, a subject beats a non-subject, and a nearer one beats a farther
    one. ``scene_pov`` (paragraph index → character) seeds a scene whose POV
    header names its character, who is the likeliest "he" or "she" in it.
    ``voices`` (paragraph index → character) names the "I" of a scene whose
    POV header names its character ("Sherlock's POV" … "I watch him").
    ``near``, when given, receives for each link whether its antecedent was a
    name in the same paragraph (a link sure enough to learn pronouns from).
    ``first_person``: the paragraphs of first-person scenes in a work that is
    not told in the first person (a whole first-person work has ``narrator``).
    """
    tokens = index.tokens
    out: list[Mention] = []
    # (character, paragraph, subject?): None marks a name inside dialogue, which
    # is never the antecedent within its own paragraph ("Buffy," he said).
    recent: list[tuple[str, int, bool | None]] = []
    named_at: set[int] = set()  # positions in ``recent`` that are names, not resolved pronouns
    linked: dict[str, str] = {}
    seeds = scene_pov or {}
    voices = voices or {}
    protagonists = leads(index, genders)
    kin = Kin(doc, {cid: g for cid, g in genders.items() if g is not None})
    at_row: dict[int, str] = {}  # token row → the character its pronoun was linked to
    tagged: dict[int, str] = {}  # paragraph → who its speech tag names ("Spike said")
    # A scene break ends every antecedent: "* * * ¶ Hermione was waiting for
    # him" is not about whoever the last scene ended on.
    paragraph_of = SpanIndex(doc.paragraphs)
    openers = {paragraph_of.find(s.start) for s in doc.scenes[1:]}
    # Pronoun set → the scene's last character known to use it, and where:
    # "she", ten paragraphs after Adela was last named, is still Adela.
    latest: dict[str, tuple[str, int]] = {}
    called = _called_by_quote(doc)
    named: set[str] = set()  # characters named so far
    last_para = -1
    for row in range(len(tokens)):
        para = int(tokens.paragraph[row])
        if para != last_para:
            if para in openers:
                recent.clear()
                latest.clear()
            if para in seeds:
                recent.append((seeds[para], para, True))
            last_para = para
        cid = index.character[row]
        if cid is not None:
            named.add(cid)
        if index.quoted[row] and (cid is not None or index.quote[row] >= 0):
            # Someone named in dialogue ("Buffy," he said) or other quoted text is in
            # the scene, though a weaker antecedent than anyone named in the narration.
            # (A pronoun in quoted text that is not speech is read as narration.)
            if cid is not None and (row == 0 or index.character[row - 1] != cid):
                # A line that only calls them ('"Naruto."' ¶ 'He didn't turn around.')
                # puts them in the scene as surely as a subject of the narration.
                recent.append((cid, para, True if _only_calls(doc, index, row) else None))
            continue
        subject = subject_like(tokens, row)
        if cid is not None:
            if row == 0 or index.character[row - 1] != cid:
                subject = name_subject(tokens, index.character, row)
                # "Ah, Spike, where have you been?": a name called out, not an antecedent.
                named_at.add(len(recent))
                recent.append((cid, para, None if _vocative(tokens, row, index) else subject))
                if (g := genders.get(cid)) is not None:
                    latest[g] = (cid, para)
                if _tags_speech(index, row):
                    tagged[para] = cid
            continue
        word = tokens.words[row].lower()
        if word in KIN_TITLES and (relative := _relative(index, row, at_row, kin)) is not None:
            # "Her father was walking about the room. '…,' said he": Mr. Bennet.
            out.append(Mention(int(tokens.start[row]), int(tokens.end[row]), relative, "nominal"))
            if near is not None:
                near.append(False)
            recent.append((relative, para, subject))
            at_row[row] = relative
            continue
        if word in FIRST_PERSON:
            person = voices.get(para, narrator)
        else:
            person = reader if word in SECOND_PERSON else None
        if person is not None:
            out.append(Mention(int(tokens.start[row]), int(tokens.end[row]), person, "pronoun"))
            if near is not None:
                near.append(False)
            continue
        pset = PRONOUN_SETS.get(word)
        if pset is None:
            continue
        best: tuple[int, int, int] | None = None
        best_cid = None
        best_near = False
        own_subject = clause_subject(index, row, at_row)
        owner = possessor_subject(index, row, at_row)
        tags_speech = _tags_speech(index, row)
        last_speaker = tagged.get(para - 1) if tags_speech else None
        calls = called.get(_tagged_quote(index, row), ()) if tags_speech else ()
        # The narrator of first-person narration is "I" in it, never "he" or "she".
        me = voices.get(para, narrator) if narrator is not None or para in first_person else None
        for rank, (cand, cpara, csubj) in enumerate(reversed(recent[-16:])):
            if para - cpara > WINDOW_PARAGRAPHS:
                break
            if cand in (own_subject, last_speaker, me, *calls):
                # "Giles told her": her is not Giles. '"…," Spike said. ¶ "…," she
                # asked': turns alternate, so she is not the last line's speaker.
                # '"Wait, Buffy," she said': not the one her line calls.
                continue
            g = genders.get(cand) or linked.get(cand)
            if (g is not None and g != pset) or (csubj is None and cpara == para):
                continue
            if g is None and pset in SPECIFIC_SETS:
                continue  # "they" (plural, mostly) and neopronouns need a character known to use them
            # Among candidates of unknown pronouns, the more salient wins over
            # the merely more recent (the protagonist over a passing name).
            # Known pronouns count only nearby: a "he" named three paragraphs ago
            # does not beat the subject of this one, whose pronouns the text never showed.
            # Nor does a name in dialogue ("Anya saved Andrew's life"), whose bearer
            # may not even be there.
            # In a dialogue's turns, two paragraphs back is the same side's last
            # ("she said." ¶ Spike: "…" ¶ "…" She kicked his boots): the scene's
            # last "she" there still counts.
            reach = 2 if latest.get(pset, ("", -1))[0] == cand else 1
            known = int(g == pset and para - cpara <= reach and csubj is not None)
            # "Sasuke said without opening his eyes": a possessive is its clause's subject's.
            score = (2 if cand == owner else known, int(bool(csubj)), -rank)
            if best is None or score > best:
                best, best_cid = score, cand
                best_near = cpara == para and bool(csubj) and len(recent) - rank - 1 in named_at
        if best is None or best[:2] == (0, 0):
            # No one, or only a passing name of unknown pronouns, in reach: the
            # scene's last character of this pronoun is likelier, or else the
            # work's leading one.
            last_one, last_one_para = latest.get(pset, (None, -1))
            near_one = last_one is not None and para - last_one_para <= SCENE_REACH
            lead = last_one if near_one else protagonists.get(pset)
            # A name in reach is not outdone by a lead the text has yet to name ("I
            # find Bucky on the roof … when he doesn't want to be found" is not
            # Sam, who comes in later); with no one in reach, it may be ("He had
            # never seen the sea." opening a work, before his name).
            unnamed = lead is not None and best_cid is not None and lead not in named
            if lead is not None and not unnamed and lead not in (best_cid, own_subject, me):
                best_cid, best_near = lead, False
        if best_cid is not None:
            # A character of unknown pronouns keeps the first set it is given in
            # this pass, so "he" and "she" do not alternate on one person.
            linked.setdefault(best_cid, pset)
            out.append(Mention(int(tokens.start[row]), int(tokens.end[row]), best_cid, "pronoun"))
            if near is not None:
                near.append(best_near)
            recent.append((best_cid, para, subject))
            latest[pset] = (best_cid, para)
            at_row[row] = best_cid
            if tags_speech:
                tagged[para] = best_cid
    return out


def _called_by_quote(doc: Document) -> dict[int, set[str]]:
    """Quote index → the characters it calls by name ("Wait, Buffy")."""
    quotes = SpanIndex(doc.quotes)
    position = {id(q): k for k, q in enumerate(doc.quotes)}
    out: dict[int, set[str]] = defaultdict(set)
    for m in doc.mentions:
        if m.kind != "name" or (k := quotes.find(m.start)) < 0:
            continue
        if called_in_quote(doc.text, quotes.spans[k], m):
            out[position[id(quotes.spans[k])]].add(m.character)
    return out


def _tagged_quote(index: TokenIndex, row: int) -> int:
    """The quote a speech tag's subject tags: the one just before it in its
    paragraph ('"…," she said'), else the one just after ('she said, "…"'); -1: none."""
    para = index.tokens.paragraph[row]
    for r in (*range(row - 1, max(-1, row - 4), -1), *range(row + 1, min(len(index.quote), row + 6))):
        if index.tokens.paragraph[r] == para and index.quote[r] >= 0:
            return int(index.quote[r])
    return -1


def _relative(index: TokenIndex, row: int, at_row: dict[int, str], kin: Kin) -> str | None:
    """Who a kin noun with a known possessor stands for ("her father", "Emma's sister")."""
    tokens = index.tokens
    if tokens.pos[row] != "NOUN" or index.quoted[row]:
        return None
    for child in index.children.get(row, ()):
        if tokens.deps[child] == "poss" and (owner := index.character[child] or at_row.get(child)):
            return kin.relative(owner, KIN_TITLES[tokens.words[row].lower()])
    return None


def _tags_speech(index: TokenIndex, row: int) -> bool:
    """Whether the token is the subject of a speech verb in a paragraph of dialogue."""
    tokens = index.tokens
    return (
        tokens.deps[row] in SUBJECT_DEPS
        and int(tokens.paragraph[row]) in index.dialogue
        and tokens.lemmas[int(tokens.head[row])].lower() in SPEECH_VERBS
    )


#: Dependencies of a pronoun that is an argument of its clause's verb.
_OBJECT_DEPS = frozenset(("dobj", "dative", "pobj"))
_REFLEXIVE = frozenset(("himself", "herself", "themself", "themselves", "xemself", "zirself", "hirself"))


def clause_subject(index: TokenIndex, row: int, at_row: dict[int, str]) -> str | None:
    """The character who is subject of the verb a non-reflexive object (pronoun
    or description) belongs to: a reader never takes them for one person
    ("Giles told her", "Spike looked at the man")."""
    tokens = index.tokens
    if _others_part(index, row):
        row = int(tokens.head[row])  # "Sakura took his hand": his is not Sakura either
    elif tokens.deps[row] not in _OBJECT_DEPS or tokens.words[row].lower() in _REFLEXIVE:
        return None
    verb = int(tokens.head[row])
    if tokens.deps[row] == "pobj":
        verb = int(tokens.head[verb])  # "looked at him": the preposition's verb
    subj = index.subject_of(verb)
    if subj is None:
        return None
    return index.character[subj] or at_row.get(subj)


_WORD = re.compile(r"\w+")


def _only_calls(doc: Document, index: TokenIndex, row: int) -> bool:
    """Whether the quote the name at ``row`` stands in is that name alone, called
    ("Naruto.", "Harry!"); not asked after ('"Anya?" He sounded shocked.' echoes a
    name, often of someone not there)."""
    k = index.quote[row]
    if k < 0:
        return False
    q = doc.quotes[k]
    cid = index.character[row]
    end = row
    while end + 1 < len(index.character) and index.character[end + 1] == cid:
        end += 1
    name = _WORD.findall(doc.text, int(index.tokens.start[row]), int(index.tokens.end[end]))
    # Word by word, stopping one past the name: a long speech is not read through.
    said = [m.group() for m in islice(_WORD.finditer(doc.text, q.start, q.end), len(name) + 1)]
    if said != name:
        return False
    last = q.end - 1
    while last > q.start and doc.text[last].isspace():
        last -= 1
    return doc.text[last] != "?"


def _others_part(index: TokenIndex, row: int) -> bool:
    """Whether a possessive owns the object of a verb of contact ("took his
    hand", "kissed her cheek"): a part of someone other than the subject."""
    tokens = index.tokens
    if tokens.deps[row] != "poss":
        return False
    noun = int(tokens.head[row])
    verb = int(tokens.head[noun])
    return (
        tokens.deps[noun] == "dobj"
        and tokens.lemmas[noun].lower() in BODY_NOUNS
        and tokens.lemmas[verb].lower() in _CONTACT_VERBS
    )


def possessor_subject(index: TokenIndex, row: int, at_row: dict[int, str]) -> str | None:
    """The character who is subject of the clause a possessive pronoun stands
    in ("Harry checked his watch"), the reading a reader takes first."""
    tokens = index.tokens
    if tokens.deps[row] != "poss" or _others_part(index, row):
        return None
    verb = int(tokens.head[row])
    for _ in range(4):  # up from the possessed noun to its verb ("without opening his eyes")
        if tokens.pos[verb] in ("VERB", "AUX") or int(tokens.head[verb]) == verb:
            break
        verb = int(tokens.head[verb])
    for _ in range(3):  # a subordinate or coordinated verb takes its head's subject
        subj = index.subject_of(verb)
        if subj is not None:
            return None if index.quote[subj] >= 0 else index.character[subj] or at_row.get(subj)
        if tokens.deps[verb] not in ("conj", "xcomp", "advcl", "pcomp") or int(tokens.head[verb]) == verb:
            return None
        verb = int(tokens.head[verb])
        if tokens.pos[verb] not in ("VERB", "AUX"):
            verb = int(tokens.head[verb])  # "without" (a preposition) → "said"
    return None


def leads(index: TokenIndex, genders: dict[str, str | None]) -> dict[str, str]:
    """The character of each known pronoun set most named in the narration,
    when named there at least twice as often as the next one of that set and
    among the work's leading characters: the "she" a reader assumes when no
    other "she" is in sight."""
    named: dict[str, Counter[str]] = defaultdict(Counter)
    for row, cid in enumerate(index.character):
        # Names in the narration: a name in dialogue may be someone far away.
        if cid is not None and not index.quoted[row] and (row == 0 or index.character[row - 1] != cid):
            g = genders.get(cid)
            if g is not None:
                named[g][cid] += 1
    top = max((n for counts in named.values() for n in counts.values()), default=0)
    out: dict[str, str] = {}
    for g, counts in named.items():
        (best, n), *rest = [*counts.most_common(2), ("", 0)]
        if n >= 2 * rest[0][1] and n >= 2 and 4 * n >= top:
            out[g] = best
    return out


def _vocative(tokens: TokenTable, row: int, index: TokenIndex) -> bool:
    """A name set off by commas at a clause's edge, as one calls someone."""
    end = row
    while end + 1 < len(tokens) and index.character[end + 1] == index.character[row]:
        end += 1
    before = tokens.words[row - 1] if row > 0 else "."
    after = tokens.words[end + 1] if end + 1 < len(tokens) else "."
    return (
        before in (",", ".", "!", "?", "—", "…")
        and after in (",", "!", "?")
        # "Signor Carella, with the brutality…, had caught her": any word of the name the subject.
        and not any(tokens.deps[r] in SUBJECT_DEPS for r in range(row, end + 1))
    )


def scene_seeds(doc: Document) -> dict[int, str]:
    """Paragraph index of each scene's first paragraph → the character its POV header names."""
    by_alias: dict[str, str] = {}
    for c in doc.characters:
        for alias in (c.name, *c.aliases):
            for word in alias.lower().split():
                by_alias.setdefault(word, c.id)
    paragraph_of = SpanIndex(doc.paragraphs)
    out: dict[int, str] = {}
    for scene in doc.scenes:
        if scene.pov_header and scene.pov_header.lower() in by_alias:
            p = paragraph_of.find(scene.start)
            if p >= 0:
                out[p] = by_alias[scene.pov_header.lower()]
    return out


#: First-person pronouns a scene's narration needs, at twice its third-person
#: ones, to be a first-person scene in a work that is not.
SCENE_FIRST_PERSON = 5


#: The same for a scene whose POV header names its narrator ("Hermione's POV ¶
#: I didn't expect to find Malfoy…"): a short scene may say "I" only a few
#: times, and as often "him", yet its "I" is plainly the header's.
HEADED_FIRST_PERSON = 2


def first_person_paragraphs(
    doc: Document, by_scene: Sequence[Counter[str]], headed: Collection[int] = ()
) -> list[int]:
    """The paragraphs of each scene whose narration is plainly first-person
    (``by_scene``: each scene's pronouns by person, from `narration_persons`;
    ``headed``: first paragraphs of scenes with a POV header)."""
    starts = [p.start for p in doc.paragraphs]
    out: list[int] = []
    for scene, persons in zip(doc.scenes, by_scene, strict=True):
        first = bisect.bisect_left(starts, scene.start)
        if first in headed:
            plain = persons["first"] >= HEADED_FIRST_PERSON and 2 * persons["first"] >= persons["third"]
        else:
            # Stricter than for a whole work: a letter quoted in a scene is first-person too.
            plain = persons["first"] >= SCENE_FIRST_PERSON and persons["first"] >= 2 * persons["third"]
        if plain:
            out.extend(range(first, bisect.bisect_left(starts, scene.end)))
    return out


def scene_voices(doc: Document, seeds: dict[int, str]) -> dict[int, str]:
    """Paragraph index → the POV header's character, for every paragraph of a
    scene with a header: in alternating first-person works each scene's "I"
    is whoever its header names."""
    starts = [p.start for p in doc.paragraphs]
    out: dict[int, str] = {}
    for scene in doc.scenes:
        first = bisect.bisect_left(starts, scene.start)
        cid = seeds.get(first)  # scene_seeds keys a header by its scene's first paragraph
        if cid is None:
            continue
        for p in range(first, bisect.bisect_left(starts, scene.end)):
            out[p] = cid
    return out


def called_in_quote(text: str, quote: HasSpan, name: HasSpan, full_stop: bool = True) -> bool:
    """Whether a name inside a quote is a vocative ("Nell, come here", "…, Spike!"):
    at the quote's edge, or before a comma, "!" or "?" (or ".", unless
    ``full_stop`` is false), or after a comma unless a word goes on from it
    ("Naruto-baka, Kakashi-sensei isn't here" speaks of Kakashi)."""
    before = text[max(quote.start, name.start - 2) : name.start]
    rest = text[name.end : quote.end].lstrip()
    if name.start == quote.start:
        # "Ron—", "Ron…": called; "Ron's coming", "Ron went home": spoken of.
        return not rest or not (rest[0].isalnum() or rest[0] in "'’")
    # The next mark past any space: tokenised text spaces its commas ("calmly , Ralph , as I do").
    after = rest[:1]
    stops = (",", "!", "?", ".") if full_stop else (",", "!", "?")
    goes_on = after.isalnum() or after in ("'", "’")
    return not rest or after in stops or ("," in before and not goes_on)


#: What the narration says just before a name it gives the narrator: "my name
#: was Pip", "Call me Ishmael", "I called myself Pip", "I, Allan Quatermain".
_SELF_NAMING = re.compile(
    r"(?:\bmy (?:christian |first |real )?name (?:is|was|being)|\bcall(?:ed)? me|\bI (?:am|was) called"
    r"|\bcalled myself|\bI,)\s*$",
    re.IGNORECASE,
)


def _self_named(doc: Document, quotes: SpanIndex[Quote]) -> str | None:
    """The character the narration names as its "I" ("So, I called myself
    Pip"), when it names exactly one."""
    found = {
        m.character
        for m in doc.mentions
        if m.kind == "name"
        and quotes.find(m.start) < 0
        and _SELF_NAMING.search(doc.text, max(0, m.start - 40), m.start)
    }
    return found.pop() if len(found) == 1 else None


#: A possessive after a name ("King Solomon's mines", "Lockwood 's horse").
_POSSESSIVE = re.compile(r" ?['’]s\b")


#: A speech tag whose subject is "I", after or before its quote ("… ," I said / I asked, "…").
#: Only the quote's own closing (or opening) mark and a line break at most lie
#: between: not the next paragraph's "I began to stammer" nor "I beg your pardon".
_I_TAG_AFTER = re.compile(r"[ \t]*[\"'”’]?[ \t]*\n?[ \t]*(?:I\s+(\w+)|(\w+)\s+I\b)")
_I_TAG_BEFORE = re.compile(r"\bI\s+(\w+)[ \t]*[,:]?[ \t]*\n?[ \t]*[\"'“‘]?[ \t]*$")


#: Verbs of a look or a laugh, which tag a line on its own line only: past a
#: line break after a finished sentence ('…mastiff."' / 'I laughed
#: incredulously') they are the next sentence, a reaction.
_REACTIONS = verb_forms(lexicon("weak_speech_verbs"))


def _said_by_i(text: str, quote: HasSpan) -> bool:
    """Whether a speech tag gives the quote to "I" ('"Sam, is that you?" I ask.')."""
    after = _I_TAG_AFTER.match(text, quote.end, quote.end + 30)
    if after and "\n" in after.group() and text[quote.end - 1 : quote.end] in ".!?":
        verb = after.group(1) or after.group(2) or ""
        if verb.lower() in _REACTIONS:
            after = None
    before = _I_TAG_BEFORE.search(text, max(0, quote.start - 30), quote.start)
    verbs = [v for m in (after, before) if m for v in m.groups() if v]
    return any(v.lower() in speech_forms() for v in verbs)


def narrator_name(doc: Document) -> str | None:
    """The first-person narrator's character, when the text names them.

    The narration may name its "I" outright ("So, I called myself Pip"). Else
    others call the narrator by name ("My dear Hastings," / "Hastings!") or
    speak of them ("Harry will never agree"), while the narration itself says
    "I": so the narrator is the character named far more often inside quotes,
    above all as a vocative (a call counts 1, a mention ½), than anywhere in the
    narration.
    """
    quotes = SpanIndex(doc.quotes)
    if (named := _self_named(doc, quotes)) is not None:
        return named
    called: defaultdict[str, float] = defaultdict(float)
    narrated: Counter[str] = Counter()
    callers_own: set[str] = set()  # names the narrator calls
    text = doc.text
    for m in doc.mentions:
        if m.kind != "name":
            continue
        k = quotes.find(m.start)
        if k < 0:
            narrated[m.character] += 1
            continue
        if called_in_quote(text, quotes.spans[k], m, full_stop=False):
            if _said_by_i(text, quotes.spans[k]):
                callers_own.add(m.character)  # '"Sam, is that you?" I ask.': Sam is not "I"
            called[m.character] += 1.0
        else:
            # "King Solomon's mines" names a thing more than a person in the room.
            possessive = _POSSESSIVE.match(text, m.end, m.end + 3) is not None
            called[m.character] += 0.25 if possessive else 0.5
    best = max(called, key=lambda c: called[c] / (1 + narrated[c]), default=None)
    if best is None or called[best] < 2 * narrated[best] or best in callers_own:
        return None
    # Three calls settle it; in a short work one call (or two mentions) will do,
    # if nobody else is named in speech, and two, if the narration never names
    # them and no one else is named in speech half as much ('"Lan Zhan!" He's
    # standing in my kitchen').
    runner_up = max((v for c, v in called.items() if c != best), default=0.0)
    if (
        called[best] >= 3
        or (narrated[best] == 0 and len(called) == 1 and called[best] >= 1)
        or (narrated[best] == 0 and called[best] >= 2 and called[best] >= 2 * runner_up)
    ):
        return best
    return None


#: Share of the narration's personal pronouns that makes a work first or second person.
PERSON_SHARE = 0.3


def narration_persons(doc: Document, index: TokenIndex) -> tuple[Counter[str], list[Counter[str]]]:
    """Personal pronouns of the narration by person ("first", "second",
    "third"), in one pass: the whole work's, and each scene's."""
    tokens = index.tokens
    starts = [s.start for s in doc.scenes]
    work: Counter[str] = Counter()
    by_scene: list[Counter[str]] = [Counter() for _ in doc.scenes]
    for row, word in enumerate(tokens.words):
        if index.quoted[row]:
            continue
        w = word.lower()
        if w in FIRST_PERSON:
            person = "first"
        elif w in SECOND_PERSON:
            person = "second"
        elif w in PRONOUN_SETS:
            person = "third"
        else:
            continue
        work[person] += 1
        start = int(tokens.start[row])
        k = bisect.bisect_right(starts, start) - 1
        if k >= 0 and start < doc.scenes[k].end:
            by_scene[k][person] += 1
    return work, by_scene


#: A narration with this share of "I", whose "I" tags this many lines ("…,"
#: I said), has a narrator, though it tells mostly of others (a frame
#: narrator: "The story had held us, round the fire… I remember asking").
FRAME_SHARE = 0.1
FRAME_TAGS = 3


def _frame_narrator(doc: Document, first: float) -> bool:
    return first >= FRAME_SHARE and sum(_said_by_i(doc.text, q) for q in doc.quotes) >= FRAME_TAGS


def person_shares(persons: Counter[str]) -> tuple[float, float]:
    """Shares of first- and second-person among personal pronouns."""
    total = sum(persons.values())
    return (persons["first"] / total, persons["second"] / total) if total else (0.0, 0.0)


class CorefStage(Stage[CorefPrediction]):
    name = "coref"
    requires: ClassVar[tuple[str, ...]] = ("tokens", "characters", "mentions", "quotes")
    provides: ClassVar[tuple[str, ...]] = ("mentions", "characters")

    def predict(self, doc: Document) -> CorefPrediction:
        if doc.tokens is None:
            return CorefPrediction(doc.mentions, {}, None)
        index = TokenIndex(doc, doc.tokens)
        votes = learn_genders(doc, index)
        genders = genders_of(doc.characters, votes)
        persons, by_scene = narration_persons(doc, index)
        first, second = person_shares(persons)
        narrator = reader = None
        if (first >= PERSON_SHARE or _frame_narrator(doc, first)) and first >= second:
            # A first-person reader-insert ("Hey, Y/N," … I laugh): the "I" is the reader.
            inserts = any(m.character == READER_ID for m in doc.mentions)
            narrator = READER_ID if inserts else narrator_name(doc) or NARRATOR_ID
        elif second >= PERSON_SHARE:
            reader = READER_ID  # "you" in the narration: the reader, named Y/N or not
        seeds = scene_seeds(doc)
        voices = scene_voices(doc, seeds)
        first_person: frozenset[int] = frozenset()
        if narrator is None and reader is None:
            # A first-person scene in a third-person work ("I never liked the
            # Burrow at Christmas"): its "I" is a narrator of its own.
            first_person = frozenset(first_person_paragraphs(doc, by_scene, seeds))
            for p in first_person:
                voices.setdefault(p, NARRATOR_ID)
        near: list[bool] = []
        pronouns = resolve_pronouns(doc, index, genders, narrator, seeds, near, reader, voices, first_person)
        # Second pass: the first pass's sure links (to a name in the same
        # paragraph) sharpen each character's pronouns; guesses across
        # paragraphs would only confirm themselves.
        for m, sure in zip(pronouns, near, strict=True):
            pset = PRONOUN_SETS.get(doc.text[m.start : m.end].lower())
            if sure and pset in ("he", "she"):
                votes[m.character][pset] += 1
        genders = genders_of(doc.characters, votes)
        pronouns = resolve_pronouns(
            doc, index, genders, narrator, seeds, reader=reader, voices=voices, first_person=first_person
        )
        from ficlens.stages.descriptions import resolve_descriptions  # it builds on this module

        nominals = resolve_descriptions(doc, index, genders, [*doc.mentions, *pronouns])
        mentions = tuple(sorted((*doc.mentions, *pronouns, *nominals), key=lambda m: (m.start, m.end)))
        dist: dict[str, Counter[str]] = defaultdict(Counter)
        for m in pronouns:
            word = doc.text[m.start : m.end].lower()
            dist[m.character][PRONOUN_SETS.get(word, "you" if word in SECOND_PERSON else "i")] += 1
        shares = {
            cid: {p: round(n / sum(c.values()), 4) for p, n in sorted(c.items())} for cid, c in dist.items()
        }
        if narrator is None and NARRATOR_ID in voices.values():
            narrator = NARRATOR_ID
        return CorefPrediction(mentions, shares, narrator, reader)

    def annotate(self, doc: Document, prediction: CorefPrediction) -> Document:
        counts = Counter(m.character for m in prediction.mentions)
        characters = [
            c.__class__(
                c.id,
                c.name,
                # A named first-person narrator is also the narration's "I".
                (*c.aliases, "I") if c.id == prediction.narrator and "I" not in c.aliases else c.aliases,
                tuple(prediction.pronouns.get(c.id, {}).items()),
                counts[c.id],
                c.quotes,
            )
            for c in doc.characters
        ]
        for cid, name, alias in (
            (prediction.narrator, NARRATOR_NAME, "I"),
            (prediction.reader, "You", "You"),
        ):
            if cid and counts[cid] and not any(c.id == cid for c in characters):
                pronouns = tuple(prediction.pronouns.get(cid, {}).items())
                characters.append(Character(cid, name, (alias,), pronouns, counts[cid]))
        return doc.with_(mentions=prediction.mentions, characters=tuple(characters))

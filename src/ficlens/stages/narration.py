"""Narrative person and tense, and the point-of-view character, per scene and per work.

Decided on the narration alone: tokens inside quotations do not count, so a
third-person story full of "I" in its dialogue stays third person.

- **Person**: first when the narration's personal pronouns are largely I/me/my;
  second when "you"/"your" (or a reader-insert "Y/N") dominates it; else third.
- **Tense**: the tense of the narration's finite main verbs (past VBD against
  present VBP/VBZ), so present-tense action with past-tense backstory stays
  present when most of it is told in the present.
- **Point of view**: a POV header decides; a first-person scene is its
  narrator's; otherwise the focaliser is the character who most often thinks,
  feels, perceives or wonders in the narration (cognition and perception verbs
  with the character as subject, names and resolved pronouns alike). A scene
  with no such evidence, or with it spread evenly, has no POV (null): an
  external or omniscient narrator.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import ClassVar

from ficlens.model import Document, Narration, Person, Scene, Tense
from ficlens.resources import lexicon
from ficlens.spans import SpanIndex
from ficlens.stages.base import Stage
from ficlens.stages.characters import NARRATOR_ID
from ficlens.stages.characters import READER_ID as READER
from ficlens.stages.coref import FIRST_PERSON, SECOND_PERSON, SUBJECT_DEPS, TokenIndex

THIRD_PERSON = frozenset(("he", "him", "his", "she", "her", "hers", "they", "them", "their"))
FOCAL_VERBS = lexicon("focal_verbs")
#: Perception verbs: negated ("She didn't see him stop the car"), they tell
#: what a character misses, which is someone else's view of the scene.
PERCEPTION_VERBS = frozenset(
    ("see", "hear", "notice", "watch", "look", "smell", "taste", "stare", "glance", "gaze", "listen")
)
PAST_TAGS = frozenset(("VBD",))
PRESENT_TAGS = frozenset(("VBP", "VBZ"))
#: Share of first-person pronouns above which narration is first person.
FIRST_SHARE = 0.35
#: The focaliser must hold this share of the scene's focal evidence.
POV_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class SceneNarration:
    person: Person | None
    tense: Tense | None
    pov: str | None
    #: Evidence counts, for inspection and tests.
    pronouns: dict[str, int]
    verbs: dict[str, int]
    focal: dict[str, int]
    #: Character → how often they are the subject of the scene's narration.
    agents: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NarrationPrediction:
    scenes: tuple[SceneNarration, ...]
    work: Narration


def _person(counts: Counter[str]) -> Person | None:
    first, second, third = counts["first"], counts["second"], counts["third"]
    total = first + second + third
    if total == 0:
        return None
    if first / total >= FIRST_SHARE and first >= second:
        return "first"
    if second / total >= FIRST_SHARE and second > first:
        return "second"
    return "third"


def _tense(counts: Counter[str]) -> Tense | None:
    if not counts:
        return None
    return "present" if counts["present"] > counts["past"] else "past"


def analyse_scenes(doc: Document) -> NarrationPrediction:
    tokens = doc.tokens
    if tokens is None:
        return NarrationPrediction(
            tuple(SceneNarration(None, None, None, {}, {}, {}) for _ in doc.scenes), Narration()
        )
    index = TokenIndex(doc, tokens)
    pronoun_of = SpanIndex([m for m in doc.mentions if m.kind == "pronoun"])
    scenes = SpanIndex(doc.scenes)
    by_scene: list[tuple[Counter[str], Counter[str], Counter[str], Counter[str]]] = [
        (Counter(), Counter(), Counter(), Counter()) for _ in doc.scenes
    ]
    scene_pos = {id(s): k for k, s in enumerate(doc.scenes)}
    for row, start in enumerate(tokens.start.tolist()):
        if index.quoted[row]:
            continue
        k = scenes.find(start)
        if k < 0:
            continue
        pronouns, verbs, focal, agents = by_scene[scene_pos[id(scenes.spans[k])]]
        word = tokens.words[row].lower()
        if word in FIRST_PERSON:
            pronouns["first"] += 1
        elif word in SECOND_PERSON or word == "y/n":
            pronouns["second"] += 1
        elif word in THIRD_PERSON:
            pronouns["third"] += 1
        tag = tokens.tags[row]
        if tokens.deps[row] in ("ROOT", "conj") and tokens.pos[row] in ("VERB", "AUX"):
            if tag in PAST_TAGS:
                verbs["past"] += 1
            elif tag in PRESENT_TAGS:
                verbs["present"] += 1
        if tokens.deps[row] not in SUBJECT_DEPS:
            continue
        who = index.character[row]
        if who is None:
            j = pronoun_of.find(start)
            who = pronoun_of.spans[j].character if j >= 0 else None
        if who is not None and (row == 0 or index.character[row - 1] != who):
            agents[who] += 1
        focal_verbs = _focal_verbs(index, int(tokens.head[row]))
        if focal_verbs:
            if who is not None:
                focal[who] += len(focal_verbs)
            if word in ("he", "she"):
                focal["pronoun:" + word] += len(focal_verbs)
    out = []
    presence = _Presence(doc)
    for scene, (pronouns, verbs, focal, agents) in zip(doc.scenes, by_scene, strict=True):
        person = _person(pronouns)
        pov = _pov(doc, scene, person, focal, presence)
        if pov is None and person == "third":
            pov = _leading_agent(agents)
        out.append(
            SceneNarration(person, _tense(verbs), pov, dict(pronouns), dict(verbs), dict(focal), dict(agents))
        )
    return NarrationPrediction(tuple(out), _work(doc, out))


def _focal_verbs(index: TokenIndex, verb: int) -> list[int]:
    """The cognition and perception verbs a subject has: its verb, and the verbs
    coordinated with it that have no subject of their own ("He wondered …, and
    decided he didn't care")."""
    tokens = index.tokens
    verbs = [verb, *(c for c in index.children.get(verb, ()) if tokens.deps[c] == "conj")]
    return [
        v
        for v in verbs
        if (v == verb or index.subject_of(v) is None)
        and tokens.lemmas[v].lower() in FOCAL_VERBS
        and not _unperceived(index, v)
    ]


def _unperceived(index: TokenIndex, verb: int) -> bool:
    """A perception verb its clause negates ("didn't see", "never noticed")."""
    tokens = index.tokens
    return tokens.lemmas[verb].lower() in PERCEPTION_VERBS and any(
        tokens.deps[child] == "neg" for child in index.children.get(verb, ())
    )


class _Presence:
    """Who is mentioned where: counted once per work, read once per scene."""

    def __init__(self, doc: Document) -> None:
        self.mentions = doc.mentions  # sorted by start
        self.starts = [m.start for m in doc.mentions]
        self.names = Counter(m.character for m in doc.mentions if m.kind == "name")
        self.text = doc.text

    def in_scene(self, scene: Scene) -> Counter[str]:
        lo = bisect.bisect_left(self.starts, scene.start)
        hi = bisect.bisect_left(self.starts, scene.end)
        return Counter(m.character for m in self.mentions[lo:hi])

    @cached_property
    def narrator(self) -> str | None:
        """The character the first-person pronouns resolve to."""
        counts = Counter(
            m.character
            for m in self.mentions
            if m.kind == "pronoun" and self.text[m.start : m.end].lower() in FIRST_PERSON
        )
        return counts.most_common(1)[0][0] if counts else None


#: Cognition and perception verbs resolved to one character that settle a
#: scene's POV outright, when no one else has half as many.
CLEAR_FOCAL = 3


def _pov(
    doc: Document, scene: Scene, person: Person | None, focal: Counter[str], presence: _Presence
) -> str | None:
    """The focaliser: header, narrator, reader, or whoever thinks and feels most.

    Pronoun evidence is counted twice: per resolved character, and per pronoun
    ("she" thinks, wonders, knows…). In third-person limited narration the
    focaliser is mostly "she" or "he", often far from any name, so when one
    pronoun dominates the scene's cognition, the focaliser is the most present
    character with those pronouns.
    """
    if scene.pov_header:
        header = scene.pov_header.lower()
        for c in doc.characters:
            if header in (a.lower() for a in (c.name, *c.aliases)) or header in c.name.lower().split():
                return c.id
    if person == "first":
        return next((c.id for c in doc.characters if c.id == NARRATOR_ID), None) or presence.narrator
    if person == "second":
        return next((c.id for c in doc.characters if c.id == READER), None)
    pronouns = Counter({k: v for k, v in focal.items() if k.startswith("pronoun:")})
    people = Counter({k: v for k, v in focal.items() if not k.startswith("pronoun:")})
    total = sum(pronouns.values()) + sum(v for k, v in people.items())
    (first, n1), (_, n2) = [*people.most_common(2), ("", 0), ("", 0)][:2]
    if n1 >= CLEAR_FOCAL and n1 >= 2 * n2:
        return first  # one character plainly does the thinking and perceiving
    if pronouns:
        top, n = pronouns.most_common(1)[0]
        if n >= 2 and n >= POV_SHARE * sum(pronouns.values()):
            who = _most_present(doc, scene, top.split(":")[1], people, presence)
            if who is not None:
                return who
    if not people:
        return None
    best, n = people.most_common(1)[0]
    return best if n >= 2 and n >= POV_SHARE * max(1, total - sum(pronouns.values())) else None


#: Times the narration must make one character its subject, at twice anyone
#: else's, to be a scene's POV when its thinking and perceiving name no one.
AGENT_MIN = 3


def _leading_agent(agents: Counter[str]) -> str | None:
    """A short scene may say little of what anyone thinks ("Lena woke in the
    dark… She counted the drips… Lena lifted her chin"), yet plainly follow one
    character: the one the narration keeps making its subject."""
    (first, n1), (_, n2) = [*agents.most_common(2), ("", 0), ("", 0)][:2]
    return first if n1 >= AGENT_MIN and n1 >= 2 * n2 else None


def _most_present(
    doc: Document, scene: Scene, pronoun: str, focal: Counter[str], presence: _Presence
) -> str | None:
    """The leading character with these pronouns in this scene: thinking in
    it, mentioned in it, and present in the work (names and lines spoken)."""
    here = presence.in_scene(scene)
    # Someone the scene never mentions, by name or resolved pronoun, is not its
    # focaliser: "she knew everything" may be what he thinks of her.
    fits = [
        c
        for c in doc.characters
        if here[c.id]
        and (((main := c.main_pronoun) and main[0] == pronoun) or (not c.pronouns and focal[c.id]))
    ]
    if not fits:
        return None
    names = presence.names
    # Lines spoken weigh double: resolved pronouns may be wrong, who speaks less so.
    best = max(fits, key=lambda c: (3 * focal[c.id] + here[c.id] + names[c.id] + 2 * c.quotes, c.id))
    return best.id


def _work(doc: Document, scenes: list[SceneNarration]) -> Narration:
    """The work's person and tense: those of most of its text."""
    person: Counter[str] = Counter()
    tense: Counter[str] = Counter()
    for scene, n in zip(doc.scenes, scenes, strict=True):
        length = scene.end - scene.start
        if n.person:
            person[n.person] += length
        if n.tense:
            tense[n.tense] += length
    return Narration(
        person=person.most_common(1)[0][0] if person else None,  # type: ignore[arg-type]
        tense=tense.most_common(1)[0][0] if tense else None,  # type: ignore[arg-type]
    )


class NarrationStage(Stage[NarrationPrediction]):
    name = "narration"
    requires: ClassVar[tuple[str, ...]] = ("tokens", "scenes", "quotes", "mentions", "characters")
    provides: ClassVar[tuple[str, ...]] = ("scenes", "narration")

    def predict(self, doc: Document) -> NarrationPrediction:
        return analyse_scenes(doc)

    def annotate(self, doc: Document, prediction: NarrationPrediction) -> Document:
        scenes = tuple(
            replace(s, person=n.person, tense=n.tense, pov=n.pov)
            for s, n in zip(doc.scenes, prediction.scenes, strict=True)
        )
        return doc.with_(scenes=scenes, narration=prediction.work)

"""Find every quotation: dialogue and non-speech quoted text.

Fiction picks one dialogue convention per work, so the stage first decides
the dominant style (double quotes, British single quotes, em-dash lines or
guillemets) and then scans each paragraph with a small state machine for that
style. Fan fiction's typos are the norm, not the exception: a quote left open
at a paragraph break is closed there (and, when the next paragraph reopens,
the speech continues), and a mark that cannot be paired never derails the
rest of the work because the state resets at every paragraph.

A span's offsets cover the content without its marks. Spans of one speech
interrupted by narration ("Buffy," he said, "I…") share an utterance id.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from ficlens.learned import TextModel
from ficlens.model import Document, NonSpeech, Paragraph, Quote
from ficlens.resources import lexicon
from ficlens.stages.base import Stage
from ficlens.stages.quote_features import SPEECH_FORMS, THRESHOLD, load_classifier, span_features, words

Style = Literal["double", "single", "dash", "guillemet"]

_DOUBLE_OPEN = "“„"
_DOUBLE_CLOSE = "”"
_SINGLE_OPEN = "‘‚"
_SINGLE_CLOSE = "’"
_ALL_MARKS = "\"'«»" + _DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE
#: A dialogue dash: an em dash, or the typewriter's double hyphen ("-- What is
#: your name?" in Gutenberg texts).
_DASH = r"(?:[—―]|--(?!-))"
_DASH_LEAD = re.compile(_DASH)
#: Words that start with an apostrophe and are not a quotation ('em, 'til).
_ELISIONS = lexicon("elisions")
_WORD_CHAR = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One predicted quoted span, before speakers are known."""

    start: int
    end: int
    paragraph: int
    #: True when the span's closing mark was missing (closed at the paragraph end).
    open_ended: bool = False
    #: True when this span continues the previous paragraph's unclosed speech.
    continues: bool = False


@dataclass(frozen=True, slots=True)
class QuotePrediction:
    style: Style
    spans: tuple[QuoteSpan, ...]
    #: Utterance number of each span (same number: one interrupted speech).
    utterances: tuple[int, ...]
    #: Whether each span is speech (False: scare quotes, titles, mentions).
    speech: tuple[bool, ...]


def _is_word(ch: str) -> bool:
    return bool(_WORD_CHAR.match(ch))


def _opens_word(prev: str, nxt: str) -> bool:
    """A single mark after a space and before a word opens (a nested quotation);
    one spaced on both sides (tokenised text: ", ’ I said") closes."""
    return prev.isspace() and _is_word(nxt)


def dominant_style(text: str, paragraphs: Sequence[Paragraph]) -> Style:
    """The work's dialogue convention, by counting opening marks in its prose."""
    double = single = dash = guillemet = 0
    for p in paragraphs:
        chunk = text[p.start : p.end]
        double += chunk.count('"') // 2 + sum(chunk.count(c) for c in _DOUBLE_OPEN)
        guillemet += chunk.count("«") + chunk.count("»")
        if _DASH_LEAD.match(chunk):
            dash += 2
        # A spaced mark opens too, in tokenised text ("‘ It is very kind of you , ’").
        for m in re.finditer(r"(?:^|(?<=[\s(—–]))['‘] ?(?=\w)", chunk):
            word = re.match(r"\s?(\w+)", chunk[m.end() :])
            if word and word.group(1).lower() not in _ELISIONS:
                single += 1
    counts: dict[Style, int] = {"double": double, "single": single, "dash": dash, "guillemet": guillemet}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else "double"


def _scan_marks(text: str, start: int, end: int, style: Style) -> Iterator[tuple[int, int, bool]]:
    """Yield (content start, content end, closed) for each quotation in text[start:end]."""
    if style == "dash":
        yield from _scan_dash(text, start, end)
        return
    if style == "guillemet":
        opens, closes, straight = "«", "»", ""
        if text.find("»", start, end) != -1 and text.find("»", start, end) < max(
            text.find("«", start, end), start
        ):
            opens, closes = "»", "«"
    elif style == "double":
        opens, closes, straight = _DOUBLE_OPEN, _DOUBLE_CLOSE, '"'
    else:
        opens, closes, straight = _SINGLE_OPEN, _SINGLE_CLOSE, "'"
    open_at = -1
    skip_to = start
    for i in range(start, end):
        ch = text[i]
        if i < skip_to or (ch not in opens and ch not in closes and ch != straight):
            continue
        if style == "single" and _is_apostrophe(text, i, start, end, open_at >= 0):
            continue
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if open_at < 0:
            if ch in opens or (not nxt.isspace() and (ch == straight or i + 1 < end)):
                open_at = i + 1  # a straight mark or a reversed curly one typed as an opener
            elif ch == straight and prev.isspace():
                open_at = i + 1  # tokenised text ('" Wake up , Philip , "'): a spaced mark opens
        elif (ch in closes or ch == straight) and not (style == "single" and _opens_word(prev, nxt)):
            yield open_at, i, True
            open_at = -1
        elif prev.isspace():
            inner = _nested_end(text, i, end, opens + closes + straight) if style == "single" else None
            if inner is not None:
                skip_to = inner  # 'since the 'incident'.': a quotation inside the quotation
                continue
            # A new opener while open: the author forgot to close the last one.
            yield open_at, i, False
            open_at = i + 1
    if open_at >= 0:
        yield open_at, end, False


#: Longest quotation inside a single-quoted line ('the 'incident'') taken as nested.
NESTED_REACH = 60


def _nested_end(text: str, i: int, end: int, marks: str) -> int | None:
    """Where a quotation nested at ``i`` inside an open single-quoted line ends
    (after its closing mark), when a closing-shaped mark follows soon and
    another mark is left to close the line; else None."""
    for j in range(i + 2, min(end, i + NESTED_REACH)):
        if text[j] not in marks:
            continue
        after = text[j + 1] if j + 1 < end else " "
        if _is_word(text[j - 1]) and _is_word(after):
            continue  # an apostrophe: library's
        if _is_word(after):
            return None  # another opener: the line was left open, not nested
        rest = text[j + 1 : end]
        return j + 1 if any(c in marks for c in rest) else None
    return None


def _is_apostrophe(text: str, i: int, start: int, end: int, inside: bool) -> bool:
    """Tell a single-quote mark that is an apostrophe ('em, goin', o'clock, dogs')."""
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < end else " "
    if _is_word(prev) and _is_word(nxt):
        return True  # o'clock, don't
    if not _is_word(prev) and _is_word(nxt):
        word = re.match(r"\w+", text[i + 1 : min(end, i + 20)])
        return bool(word and word.group().lower() in _ELISIONS)
    if _is_word(prev) and not _is_word(nxt) and inside:
        # goin' / dogs' inside a quotation: an apostrophe if a better close follows.
        rest = text[i + 1 : end]
        m = re.search(r"[.,!?;:…—–-]['’]", rest)
        return bool(m) and nxt not in ".,!?;:"
    return False


_DASH_RE = re.compile(r"\s?" + _DASH + r"\s?")


def _scan_dash(text: str, start: int, end: int) -> Iterator[tuple[int, int, bool]]:
    """Em-dash dialogue: a paragraph opening with a dash (or a dash after a
    sentence: "He laughed. — Sit down.") is speech up to a dash that
    introduces narration ("— Come here, — he said, — now.") or up to a comma
    before a speech tag that no dash sets off ("— You're late, said Marco.")."""
    if (lead := _DASH_LEAD.match(text, start, end)) is not None:
        pos = lead.end()
    else:
        opening = _DASH_AFTER_SENTENCE.search(text, start, end)
        if opening is None:
            return
        pos = opening.end()
    speaking = True
    for m in (*_DASH_RE.finditer(text, pos, end), None):
        stop = m.start() if m is not None else end
        if speaking:
            tag = _DASH_TAG.search(text, pos, stop)
            # "— So should you. Ace didn't turn around. — Couldn't sleep.": an
            # action beat that closes the segment before the next dash.
            beat = _DASH_BEAT.search(text, pos, stop) if tag is None and m is not None else None
            cut = tag.start() if tag else beat.start() if beat else stop
            if pos < cut:
                yield pos, cut, True
            # After a tag or beat no dash set off, the next dash reopens the speech.
            speaking = tag is not None or beat is not None
        else:
            speaking = True
        if m is None:
            break
        pos = m.end()


_SPEECH_FORM = "(?:" + "|".join(sorted(SPEECH_FORMS, key=lambda f: (-len(f), f))) + r")\b"
#: A speech tag after a comma, verb first or subject first (", said Marco",
#: ", Lucia answered"), or after a "!" or "?" with a lower-case subject
#: ("— Back to barracks! he said sternly.").
_DASH_TAG = re.compile(
    r"(?:,\s+(?:(?:[A-Z][\w'’-]*|he|she|they|we|I)\s+)?"
    + _SPEECH_FORM
    + r"|(?<=[!?…])\s+(?:he|she|they|we|I)\s+"
    + _SPEECH_FORM
    + ")"
)
#: A dash opening speech after narration: after a sentence, or a colon ("He
#: held the bowl aloft and intoned: — Introibo ad altare Dei.").
_DASH_AFTER_SENTENCE = re.compile(r"(?<=[.!?…:])\s+" + _DASH + r"\s?")
#: The last sentence of a dash segment, when it is narration about someone: a
#: name or pronoun and a lower-case word ("Ace didn't turn around."), ending
#: the segment.
_DASH_BEAT = re.compile(
    r"(?<=[.!?…])\s+(?=(?:[A-Z][\w'’-]*|He|She|They|I)\s+[a-z][\w'’]*\b[^.!?…]*[.!?…]\s*$)"
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(
    text: str,
    paragraphs: Sequence[Paragraph],
    style: Style | None = None,
    classifier: TextModel | None = None,
) -> QuotePrediction:
    """Predict the quoted spans of a work, with utterance grouping and, for
    each, whether it is speech (by ``classifier`` when given, else by rule)."""
    chosen = style or dominant_style(text, paragraphs)
    messages = chat_lines(text, paragraphs)
    spans: list[QuoteSpan] = []
    utterances: list[int] = []
    utterance = 0
    last_open_ended = False
    for index, p in enumerate(paragraphs):
        if index in messages:
            # "**MJ:** are you coming or not": a chat line is its sender's speech.
            utterance += 1
            spans.append(QuoteSpan(messages[index].start, messages[index].end, index))
            utterances.append(utterance)
            last_open_ended = False
            continue
        first_in_paragraph = True
        for s, e, closed in _scan_marks(text, p.start, p.end, chosen):
            s, e = _trim(text, s, e)
            if e <= s:
                continue
            continues = first_in_paragraph and last_open_ended and s - p.start <= 2
            if not (continues or _joins_previous(text, spans, s, e, p, index)):
                utterance += 1
            spans.append(QuoteSpan(s, e, index, open_ended=not closed, continues=continues))
            utterances.append(utterance)
            first_in_paragraph = False
        last_open_ended = bool(spans) and spans[-1].paragraph == index and spans[-1].open_ended
    # A word right after the closing mark glues a quote into its sentence (the
    # "sorry"s); dash dialogue has no closing mark to be glued to.
    marked = chosen != "dash"
    rule = [is_speech(text, span, marked) for span in spans]
    speech = rule
    if classifier is not None and spans:
        probs = classifier.predict(span_features(text, paragraphs, spans, rule))
        glued = [marked and span.end + 1 < len(text) and _is_word(text[span.end + 1]) for span in spans]
        speech = [bool(p >= THRESHOLD) and not g for p, g in zip(probs, glued, strict=True)]
    speech = [ok or span.paragraph in messages for ok, span in zip(speech, spans, strict=True)]
    return _split_inner(text, chosen, QuotePrediction(chosen, tuple(spans), tuple(utterances), tuple(speech)))


#: A quotation nested in speech of each style: 'single' in "double", and back.
#: It opens before a word and after none, and closes after a non-space and
#: before no word (so "don't" and "dogs' bowls" close nothing).
_NESTED_OPEN = {
    style: re.compile(rf"(?<!\w)[{opens}](?=\w)")
    for style, opens in (("double", "‘'"), ("single", '“"'), ("dash", '“"'), ("guillemet", '“"'))
}
_NESTED_CLOSE = {
    style: re.compile(rf"(?<=\S)[{closes}](?!\w)")
    for style, closes in (("double", "’'"), ("single", '”"'), ("dash", '”"'), ("guillemet", '”"'))
}
#: Words a nested quotation needs, when no stop or comma ends it, to be speech quoted
#: ("'You must go,' said she") rather than a title or a word ("'Mediaeval Byways'").
NESTED_WORDS = 4


def nested_quotes(text: str, start: int, end: int, style: Style) -> list[tuple[int, int]]:
    """(opening mark, after the closing mark) of each speech quoted inside a
    quotation: Miss Bates's "…just now.--'You must go,' said she. 'You and I
    must part.'…". Regular expressions find the marks, as every line of a
    work passes here."""
    opening, closing = _NESTED_OPEN[style], _NESTED_CLOSE[style]
    out: list[tuple[int, int]] = []
    i = start
    while (m := opening.search(text, i, end)) is not None:
        i = m.start()
        if _is_apostrophe(text, i, start, end, False):
            i += 1
            continue
        close = closing.search(text, i + 2, end)
        if close is None:
            break
        j = close.start()
        content = text[i + 1 : j].strip()
        if content[-1:] in ".,!?…—–-;" or len(content.split()) >= NESTED_WORDS:
            out.append((i, j + 1))
        i = j + 1
    return out


#: A stage direction in parentheses inside a speech: Emma's "Well, (smiling,) I
#: hope…", "(turning to Mr. Knightley,)", "(with a sinking voice)". It is narration,
#: which PDNC leaves out of the quote; an aside of the speaker's own ("(between
#: ourselves)", "(for I suppose this is our last one)") is not one.
_PARENTHESIS = re.compile(r"\(([^()]{1,120})\)")
#: Longest stage direction, in words.
DIRECTION_WORDS = 12
_DIRECTION_OPENERS = frozenset(("with", "rather", "aside"))
_NOT_PARTICIPLES = frozenset(
    ("nothing", "something", "anything", "everything", "morning", "evening", "during")
)
_MANNER = frozenset(("tone", "voice", "accent", "manner", "whisper", "undertone"))
#: A speaker's own words about themselves or their listener: an aside, not a direction.
_OWN_WORDS = frozenset("i me my mine myself we us our ours you your yours yourself".split())


def stage_directions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(opening parenthesis, after the closing one) of each stage direction in a quotation."""
    out = []
    for m in _PARENTHESIS.finditer(text, start, end):
        words = re.findall(r"[\w'’-]+", m.group(1))
        if not words or len(words) > DIRECTION_WORDS or any(w.lower() in _OWN_WORDS for w in words):
            continue
        first = words[0]
        if (
            (first.endswith("ing") and len(first) > 4 and first not in _NOT_PARTICIPLES)
            or first in _DIRECTION_OPENERS
            or (first == "to" and len(words) > 1 and words[1][:1].isupper())
            or (first == "in" and any(w.lower() in _MANNER for w in words))
        ):
            out.append((m.start(), m.end()))
    return out


def _split_inner(text: str, style: Style, prediction: QuotePrediction) -> QuotePrediction:
    """A speech quoting speech is its speaker's words around the quoted ones, as
    PDNC marks it: its spans leave out the nested quotations, which become
    quoted text that is not speech, and stay one utterance. Its stage
    directions are left out too, as the narration they are."""
    spans: list[QuoteSpan] = []
    utterances: list[int] = []
    speech: list[bool] = []
    for span, utt, ok in zip(prediction.spans, prediction.utterances, prediction.speech, strict=True):
        inner = nested_quotes(text, span.start, span.end, style) if ok else []
        directions = stage_directions(text, span.start, span.end) if ok else []
        holes = sorted(
            [
                *((a, b, True) for a, b in inner),
                *((a, b, False) for a, b in directions if not any(a < y and x < b for x, y in inner)),
            ]
        )
        if not holes:
            spans.append(span)
            utterances.append(utt)
            speech.append(ok)
            continue
        cuts = [span.start, *(x for a, b, _ in holes for x in (a, b)), span.end]
        pieces = [_trim(text, a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=True)]
        # The quoted words themselves are quoted text, not speech of the line's own.
        quoted = [(a + 1, b - 1, False) for a, b, nested in holes if nested]
        parts = sorted([*((a, b, True) for a, b in pieces if any(_is_word(c) for c in text[a:b])), *quoted])
        said = [k for k, part in enumerate(parts) if part[2]]
        for k, (a, b, own) in enumerate(parts):
            first, last = bool(said) and k == said[0], bool(said) and k == said[-1]
            spans.append(QuoteSpan(a, b, span.paragraph, span.open_ended and last, span.continues and first))
            utterances.append(utt)
            speech.append(own)
    return QuotePrediction(style, tuple(spans), tuple(utterances), tuple(speech))


#: A chat or text-message line: its sender, a colon, the message ("**MJ:** hi", "Tony: where r u").
CHAT_LINE = re.compile(
    r"[*_]{0,2}(?P<sender>[^\W\d_][\w.'’ -]{0,30}?[\w.'’])[*_]{0,2}:[*_]{0,2}[ \t]+(?P<message>\S[^\n]*)$"
)
#: A work needs this many chat lines, one sender at least twice, to be read as chatting.
CHAT_MIN_LINES = 3
#: Labels that head a paragraph without sending a message ("Summary: …", "A/N: …").
_NOT_SENDERS = frozenset(
    "a/n an author's note authors note beta chapter disclaimer edit fandom note notes pairing pairings "
    "part prompt rating status summary title update warning warnings words".split()
)


@dataclass(frozen=True, slots=True)
class ChatLine:
    """A chat or text-message line: where its sender's label and its message lie."""

    sender_start: int
    sender_end: int
    start: int
    end: int


_NOT_SENDER_WORDS = frozenset(
    "a an he her his i it its my our she that the their they this we you your".split()
)


def chat_lines(text: str, paragraphs: Sequence[Paragraph]) -> dict[int, ChatLine]:
    """Paragraph index → its chat line, for a work that chats (at least
    `CHAT_MIN_LINES` lines, a sender recurring); the message leaves out any
    quotation marks round it."""
    found: dict[int, tuple[str, ChatLine]] = {}
    for index, p in enumerate(paragraphs):
        m = CHAT_LINE.match(text, p.start, p.end)
        sender = m.group("sender").strip().lower() if m else ""
        sender_words = sender.split()
        # A sender is a name or a handle, not narration ("His mother said: …").
        if (
            m is None
            or sender in _NOT_SENDERS
            or len(sender_words) > 2
            or sender_words[0] in _NOT_SENDER_WORDS
            or sender_words[-1] in SPEECH_FORMS
        ):
            continue
        start, end = _trim(text, m.start("message"), m.end("message"))
        while start < end and text[start] in _ALL_MARKS and text[end - 1] in _ALL_MARKS:
            start, end = start + 1, end - 1
        if start < end:
            found[index] = (sender, ChatLine(m.start("sender"), m.end("sender"), start, end))
    senders = Counter(sender for sender, _ in found.values())
    if len(found) < CHAT_MIN_LINES or max(senders.values(), default=0) < 2:
        return {}
    return {k: line for k, (_, line) in found.items()}


#: Narration between two spans of one paragraph that still leaves them one
#: utterance: at most this many characters and two sentences.
BEAT_CHARS = 120
_ABBREVIATION = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Mme|Mlle|M|Messrs|Rev|Col|Capt|Gen|Sr|Jr|Prof)\.")
_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)|--")
_NEXT_QUOTE = re.compile(r"[\"“”«»]")
_TOKENISED_LINE_END = re.compile(r" [.!?]\s*\n")


def _joins_previous(
    text: str, spans: Sequence[QuoteSpan], start: int, end: int, p: Paragraph, index: int
) -> bool:
    """One utterance, as PDNC counts them: the previous span of this paragraph
    and this one have only a tag or an action beat between ('"Buffy," he said
    softly, "I…"'; '"Hey." He grinned. "What's up?"'). Not when that narration
    is a sentence of its own that introduces this span ('"Well." He answered,
    "No."'), nor when this span has a tag of its own ('"Q?" said Bob. "A,"
    said Ann.'): those are mostly another speaker's. In PDNC 99% of the pairs
    this joins have one speaker."""
    if not spans or spans[-1].paragraph != index:
        return False
    prev = spans[-1]
    between = text[prev.end : start].strip(_ALL_MARKS + "—– \n\t")
    if not between or len(between) > BEAT_CHARS:
        return False
    sentences = _SENTENCE_END.split(_ABBREVIATION.sub("", between).rstrip(".!?;:—–- "))
    if len(sentences) > 2:
        return False
    if len(sentences) == 2 and _tags_someone(sentences[-1]):
        # '"…," and glared at him. Fielding said: "…"': a sentence of its own with a
        # speech verb opens this span, most often another speaker's.
        return False
    if between[-1] in ",:" and not _ANSWERS.isdisjoint(words(between)):
        return False  # '"Do not you dance?" to which his prompt reply was, "Most readily."'
    if _TOKENISED_LINE_END.search(text, prev.end, start):
        # One sentence a line (LitBank), where the reader guessed the paragraph:
        # a line of speech after a tagged one is as often the other side's.
        return False
    if text[prev.end - 1 : prev.end] in ".!?" and between[-1] in ",:" and between[0].isupper():
        return False  # the narration introduces this span
    narration = _NEXT_QUOTE.split(text[end : min(p.end, end + 40)].lstrip(_ALL_MARKS))[0]
    return not any(w in SPEECH_FORMS for w in words(narration)[:4])


def _tags_someone(sentence: str) -> bool:
    """Whether a sentence of narration between two spans is a speech tag naming
    someone, so that it tags the span after it ("Fielding said:"). Not one with
    a pronoun ("Still holding the door open, she called back,"), which goes on
    with the speaker of the span before, most often."""
    said = words(sentence)
    return any(w in SPEECH_FORMS for w in said) and _PRONOUNS.isdisjoint(said)


_PRONOUNS = frozenset(("he", "she", "they", "i", "we", "you"))
#: Nouns for a line that answers another: in the narration between two spans,
#: they make the second someone else's.
_ANSWERS = frozenset(("reply", "answer", "rejoinder", "retort", "response"))


def is_speech(text: str, span: QuoteSpan, marked: bool = True) -> bool:
    """Rule of thumb for non-speech quotes: short, unpunctuated, and embedded
    mid-sentence (scare quotes, titles, all the "sorry"s, a word mentioned).
    ``marked``: a closing mark follows the span (not so in dash dialogue)."""
    content = text[span.start : span.end]
    after = text[span.end + 1 : span.end + 2] if marked and span.end + 1 < len(text) else ""
    if after and _is_word(after):
        return False  # the "sorry"s
    count = len(content.split())
    if count > 4 or span.open_ended:
        return True
    if content[-1:] in ".,!?…—–-;:":
        return True
    j = span.start - 2  # the character before the opening mark, past spaces
    while j >= 0 and text[j] in " \t":
        j -= 1
    prev = text[j] if j >= 0 else ""
    if not (_is_word(prev) or prev == ","):
        return True
    word = re.search(r"(\w+)\W*$", text[max(0, j - 20) : j + 1])
    if word and word.group(1).lower() in SPEECH_FORMS:
        return True  # she whispered "I love you"
    return not (count <= 3 or content[:1].islower())


class QuoteStage(Stage[QuotePrediction]):
    name = "quotes"
    requires: ClassVar[tuple[str, ...]] = ("text", "paragraphs")
    provides: ClassVar[tuple[str, ...]] = ("quotes", "non_speech")

    def __init__(self, model: str | None = None, use_model: bool = True) -> None:
        """``model`` (or FICLENS_QUOTE_MODEL): a classifier to use instead of the
        shipped one; ``use_model=False``: rules alone."""
        chosen = model or os.environ.get("FICLENS_QUOTE_MODEL")
        self.classifier = load_classifier(chosen) if use_model else None

    def predict(self, doc: Document) -> QuotePrediction:
        return find_quotes(doc.text, doc.paragraphs, classifier=self.classifier)

    def annotate(self, doc: Document, prediction: QuotePrediction) -> Document:
        """Speech goes to ``quotes`` (numbered in text order); other quoted text
        to ``non_speech``, so that dialogue counts and scripts see dialogue only."""
        quotes: list[Quote] = []
        utterances: dict[int, str] = {}
        for span, utt, speech in zip(prediction.spans, prediction.utterances, prediction.speech, strict=True):
            if speech:
                uid = utterances.setdefault(utt, f"u{len(utterances) + 1}")
                quotes.append(Quote(id=f"q{len(quotes) + 1}", start=span.start, end=span.end, utterance=uid))
        non_speech = tuple(
            NonSpeech(span.start, span.end)
            for span, speech in zip(prediction.spans, prediction.speech, strict=True)
            if not speech
        )
        return doc.with_(quotes=tuple(quotes), non_speech=non_speech)

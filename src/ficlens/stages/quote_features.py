"""Is a quoted span speech? Features for the learned quote classifier.

Quotation marks also wrap scare quotes, titles, words mentioned, letters and
reported thoughts. Readers tell speech by its shape: a sentence with its own
punctuation, first and second person, a speech verb beside it, a paragraph of
its own; a scare quote is a word or two in the middle of a sentence. The
classifier (LightGBM text model, trained by ``training/train_quotes.py``)
weighs these; without it the rule of thumb in `ficlens.stages.quotes` decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ficlens.learned import TextModel, model_text
from ficlens.model import Paragraph
from ficlens.resources import lexicon, speech_forms

if TYPE_CHECKING:
    from ficlens.stages.quotes import QuoteSpan

FEATURES = (
    "log_words",
    "ends_terminal",
    "ends_comma",
    "ends_dash",
    "starts_upper",
    "prev_word",
    "prev_comma",
    "prev_colon",
    "prev_sentence_end",
    "starts_paragraph",
    "ends_paragraph",
    "next_word",
    "next_lower",
    "next_upper",
    "open_ended",
    "continues",
    "quotes_in_paragraph",
    "speech_verb_before",
    "speech_verb_after",
    "first_second_person",
    "third_person",
    "exclaim_or_ask",
    "mention_word_before",
    "rule_says_speech",
    "share_of_paragraph",
)
MODEL_RESOURCE = "models/quotes.lgb.txt"
#: Probability above which a span is speech.
THRESHOLD = 0.5

_WORD = re.compile(r"\w+")
_FIRST_SECOND = frozenset("i me my mine myself we us our ours you your yours yourself yourselves".split())
_THIRD = frozenset("he him his she her hers they them their".split())
_MENTION_WORDS = frozenset("the a an word words called named titled term phrase his her their its of".split())
#: Lemmas of verbs that tag speech ("say", "whisper"): the one list every stage reads.
SPEECH_VERBS = lexicon("speech_verbs")
#: Speech verbs as they stand beside a quote ("whispered", "says").
SPEECH_FORMS = speech_forms()


def words(text: str) -> list[str]:
    """The text's words, lower-cased (what the speech-form lists hold)."""
    return [w.lower() for w in _WORD.findall(text)]


def span_features(
    text: str, paragraphs: Sequence[Paragraph], spans: Sequence[QuoteSpan], rule: Sequence[bool]
) -> np.ndarray:
    """One row of `FEATURES` per span."""
    per_paragraph: dict[int, int] = {}
    for s in spans:
        per_paragraph[s.paragraph] = per_paragraph.get(s.paragraph, 0) + 1
    out = np.zeros((len(spans), len(FEATURES)), dtype=np.float64)
    for k, s in enumerate(spans):
        p = paragraphs[s.paragraph]
        content = text[s.start : s.end]
        content_words = words(content)
        j = s.start - 2
        while j >= p.start and text[j] in " \t\n":
            j -= 1
        prev = text[j] if j >= p.start else ""
        n = s.end + 1
        while n < p.end and text[n] in " \t\n":
            n += 1
        nxt = text[n] if n < p.end else ""
        before = words(text[max(p.start, s.start - 40) : s.start])
        after = words(text[s.end : min(p.end, s.end + 40)])
        row = [
            np.log1p(len(content_words)),
            content[-1:] in ".!?…",
            content[-1:] == ",",
            content[-1:] in "—–-",
            content[:1].isupper(),
            bool(prev) and (prev.isalnum() or prev == "_"),
            prev == ",",
            prev == ":",
            prev in ".!?",
            s.start - p.start <= 2,
            p.end - s.end <= 2,
            s.end + 1 < len(text) and (text[s.end + 1].isalnum()),
            nxt.islower(),
            nxt.isupper(),
            s.open_ended,
            s.continues,
            per_paragraph[s.paragraph],
            (bool(before) and before[-1] in SPEECH_FORMS) or (len(before) > 1 and before[-2] in SPEECH_FORMS),
            any(w in SPEECH_FORMS for w in after[:4]),
            sum(w in _FIRST_SECOND for w in content_words) / max(1, len(content_words)),
            sum(w in _THIRD for w in content_words) / max(1, len(content_words)),
            "!" in content or "?" in content,
            bool(before) and before[-1] in _MENTION_WORDS,
            rule[k],
            (s.end - s.start) / max(1, p.end - p.start),
        ]
        out[k] = [float(v) for v in row]
    return out


def load_classifier(path: str | None = None) -> TextModel | None:
    """The quote classifier from ``path``, or the shipped one; None if neither exists."""
    text = model_text(MODEL_RESOURCE, path)
    if text is None:
        if path is not None:
            raise FileNotFoundError(path)
        return None
    return TextModel(text, FEATURES)

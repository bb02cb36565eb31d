"""What the results page shows around the results: the 999 card for emergency words, the
checker for symptoms, and why each page matched (its matching words in <mark>)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from content.models import Seriousness
from content.search import words
from content.search.models import SearchDocument
from content.search.query import Query, runs

# Words that mean "call 999 now", whatever else was searched for, and the sign to name on
# the card. Matched as whole runs of words, after stop words are dropped.
EMERGENCY_WORDS: dict[str, str] = {
    "chest pain": "chest pain",
    "pain in my chest": "chest pain",
    "tight chest": "chest pain",
    "can't breathe": "difficulty breathing",
    "cannot breathe": "difficulty breathing",
    "cant breath": "difficulty breathing",
    "struggling to breathe": "difficulty breathing",
    "difficulty breathing": "difficulty breathing",
    "short of breath": "difficulty breathing",
    "breathless": "difficulty breathing",
    "coughing blood": "coughing up blood",
    "coughing up blood": "coughing up blood",
    "numb bottom": "numbness around your bottom or genitals",
    "numb bum": "numbness around your bottom or genitals",
    "numb groin": "numbness around your bottom or genitals",
    "numb between my legs": "numbness around your bottom or genitals",
    "saddle numbness": "numbness around your bottom or genitals",
    "can't pee": "not being able to pee, or not controlling when you pee or poo",
    "cannot pee": "not being able to pee, or not controlling when you pee or poo",
    "can't wee": "not being able to pee, or not controlling when you pee or poo",
    "wet myself": "not being able to pee, or not controlling when you pee or poo",
    "bladder control": "not being able to pee, or not controlling when you pee or poo",
    "bowel control": "not being able to pee, or not controlling when you pee or poo",
    "incontinence": "not being able to pee, or not controlling when you pee or poo",
    "face drooping": "signs of a stroke: face drooping, arm weakness, speech problems",
    "slurred speech": "signs of a stroke: face drooping, arm weakness, speech problems",
    "stroke": "signs of a stroke: face drooping, arm weakness, speech problems",
    "seizure": "a seizure (fit) that lasts more than 5 minutes, or a first seizure",
    "fitting": "a seizure (fit) that lasts more than 5 minutes, or a first seizure",
    "unconscious": "someone who has collapsed or cannot be woken",
    "collapsed": "someone who has collapsed or cannot be woken",
    "passed out": "someone who has collapsed or cannot be woken",
    "cold leg": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "pale leg": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "blue leg": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "cold foot": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "leg cold": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "foot cold": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "cold and pale": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "pale and cold": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "blue foot": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "white leg": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "leg white": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "foot white": "a leg or foot that is suddenly cold, pale or blue, and painful",
    "paralysed": "sudden weakness or loss of movement in a leg",
    "paralysis": "sudden weakness or loss of movement in a leg",
    "can't move my leg": "sudden weakness or loss of movement in a leg",
    "cannot move my leg": "sudden weakness or loss of movement in a leg",
}
_EMERGENCY_TERMS = {words.phrase(text): sign for text, sign in EMERGENCY_WORDS.items()}

# Words for what a person feels: a query with one is offered the symptom checker first.
_SYMPTOM_WORDS = """twitch twitching twitchy jerk jerking jump jumping spasm cramp cramping
    ache aching pain painful sore numb numbness tingle tingling pins needles weak weakness
    swollen swelling swell restless shake shaking tremor trembling stiff stiffness burning
    flicker flickering fasciculation buzzing throbbing heavy jumpy"""
SYMPTOM_TERMS = frozenset(words.stem(w) for w in _SYMPTOM_WORDS.split())

SNIPPET_LENGTH = 180
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w+(?:['\u2019]\w+)?")


@dataclass(frozen=True)
class Sign:
    """A sign on a care card (templates/content/_care_card.html)."""

    text: str


def emergency_signs(query: Query) -> list[Sign]:
    """The emergency signs the query names, if any ('chest pain' -> [Sign('chest pain')])."""
    named = {t for t in query.ngrams if t in _EMERGENCY_TERMS}
    typed = {t for t in _typed_ngrams(query) if t in _EMERGENCY_TERMS}
    texts = dict.fromkeys(_EMERGENCY_TERMS[t] for t in sorted(named | typed))
    return [Sign(text[0].upper() + text[1:]) for text in texts]


def _typed_ngrams(query: Query) -> list[str]:
    """Runs of the words as typed, before typo correction: 'cant' is not a typo here."""
    # Every word, not only the first MAX_QUERY_TERMS searched for: a sign typed last counts.
    return runs([words.stem(w) for w in words.ascii_words(query.text) if w not in words.STOP_WORDS])


def names_symptoms(query: Query) -> bool:
    return bool(SYMPTOM_TERMS.intersection(query.sequence))


def highlight(text: str, terms: set[str]) -> SafeString:
    """`text`, escaped, with each word whose term was searched for in <mark>."""
    out, last = [], 0
    for found in _WORD.finditer(text):
        if words.term_set(found.group()) & terms:
            out.append(escape(text[last : found.start()]))
            out.append(format_html("<mark>{}</mark>", found.group()))
            last = found.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _matches(text: str, terms: set[str]) -> int:
    return len(terms.intersection(words.term_set(text)))


@dataclass
class Why:
    """Why a page matched: which of its texts, with the matching words marked."""

    label: str
    text: SafeString


def why(document: SearchDocument, query: Query) -> Why | None:
    """Why the page matched, when its title and summary (marked where shown) do not say."""
    named = _why_by_name(document, query)
    if named is not BODY:
        return named
    terms = set(query.terms)
    # Only sentences with a word starting like a term can match (stems are word starts).
    starts = re.compile("|".join(rf"\b{re.escape(t[:4])}" for t in sorted(terms)), re.I)
    sentences = [s.strip() for s in _SENTENCE.split(document.body) if starts.search(s)]
    best = max(sentences, key=lambda s: _matches(s, terms), default="")
    if not best or not _matches(best, terms):
        return None
    return Why("On the page", highlight(_shorten(best, terms), terms))


def needs_body(document: SearchDocument, query: Query) -> bool:
    """Whether only the page's text can say why it matched."""
    return _why_by_name(document, query) is BODY


BODY = Why("", mark_safe(""))  # "look in the body": neither names nor title nor summary


def _why_by_name(document: SearchDocument, query: Query) -> Why | None:
    terms = set(query.terms)
    phrases = set(query.ngrams)
    if _matches(document.title, terms) and words.phrase(document.title) in phrases:
        return None  # the title says it, marked where it is shown
    for label, lines in (
        ("Also called", document.also_called.splitlines()),
        ("People search for", document.phrases.splitlines()),
    ):
        named = [n for n in lines if words.phrase(n) in phrases] or [
            n for n in lines if _matches(n, terms)
        ]
        if named:
            return Why(label, highlight(named[0], terms))
    if _matches(document.title, terms) or _matches(document.summary, terms):
        return None  # the title and summary say it, marked where they are shown
    return BODY


def _shorten(sentence: str, terms: set[str]) -> str:
    if len(sentence) <= SNIPPET_LENGTH:
        return sentence
    first = next(
        (m.start() for m in _WORD.finditer(sentence) if words.term_set(m.group()) & terms), 0
    )
    start = max(0, first - SNIPPET_LENGTH // 3)
    start = sentence.rfind(" ", 0, start) + 1 if start else 0
    piece = sentence[start : start + SNIPPET_LENGTH]
    piece = piece[: piece.rfind(" ")] if len(piece) == SNIPPET_LENGTH else piece
    return ("..." if start else "") + piece + "..."


class Hit:
    """One result as shown: its title and summary with the matching words marked, and why
    it matched when neither shows it."""

    def __init__(self, document: SearchDocument, why: Why | None, query: Query) -> None:
        terms = set(query.terms)
        self.document = document
        self.title = highlight(document.title, terms)
        self.summary = highlight(document.summary, terms)
        self.why = why
        self.kind_label = document.get_kind_display()
        self.seriousness_label = dict(Seriousness.choices).get(document.seriousness, "")

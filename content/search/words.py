"""Words as search sees them, the same on every database.

Both engines (content/search/engines.py) index and query the terms made here: lower-case
ASCII words, stop words dropped, each reduced to its stem by the Snowball English stemmer
("twitching", "twitches" -> "twitch"). PostgreSQL is given these terms ready-made (with its
'simple' configuration, which only splits on spaces), so its index and the in-process one
hold exactly the same terms at the same positions, and rank them the same.
"""

from __future__ import annotations

import functools
import re
import struct
import threading
import unicodedata
from typing import Any

import snowballstemmer

# Question and filler words: "is it MND?" searches for "mnd". Kept short on purpose: words
# such as "down", "back", "not" or "can't" carry meaning in symptoms.
_STOP_WORDS = """a an and are am as at be been but by can could do does did for from had has
    have how i if im in is it its me my of on or our should so that the their them there
    these they this those to was we what when where which who why will with would you your
    get got keep keeps really very just"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
MIN_TYPO_LENGTH = 4  # shorter words are matched exactly: "ALS" must never become "als"-like
_WORD = re.compile(r"[a-z0-9]+")
# A Snowball stemmer keeps its working state on itself: one per thread, or two threads of
# one server (gthread workers) garble each other's words.
_local = threading.local()


def _stemmer() -> Any:
    found = getattr(_local, "stemmer", None)
    if found is None:
        found = _local.stemmer = snowballstemmer.stemmer("english")
    return found


def ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words: accents folded ("Barré" -> "barre"), possessives and
    apostrophes dropped ("Gehrig's" -> "gehrig", "can't" -> "cant"), every other
    character a separator."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"['\u2019]s\b", "", folded)
    folded = folded.replace("'", "")
    return _WORD.findall(folded)


@functools.lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    return str(_stemmer().stemWord(word))


def terms(text: str) -> list[str]:
    """The stems of `text`'s words, stop words dropped, in order (repeats kept)."""
    return [stem(word) for word in ascii_words(text) if word not in STOP_WORDS]


@functools.lru_cache(maxsize=20_000)
def term_set(text: str) -> frozenset[str]:
    """The distinct terms of a short text (a name, a sentence, one word), remembered:
    results pages ask for the same ones again and again."""
    return frozenset(terms(text))


@functools.lru_cache(maxsize=20_000)
def phrase(text: str) -> str:
    """A name or phrase as comparable terms: 'Lou Gehrig's disease' -> 'lou gehrig diseas'."""
    return " ".join(terms(text))


def trigrams(word: str) -> frozenset[str]:
    """pg_trgm's trigrams of one word: padded with two spaces before and one after."""
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two words, in
    single precision as PostgreSQL computes it, so both engines draw the same line."""
    ta, tb = trigrams(a), trigrams(b)
    shared = len(ta & tb)
    return single(shared / (len(ta) + len(tb) - shared))


def single(number: float) -> float:
    """`number` rounded to single precision (PostgreSQL's real, C's float)."""
    return float(struct.unpack("f", struct.pack("f", number))[0])


def typo_distance(a: str, b: str) -> int:
    """Edits between two words (optimal string alignment: insert, delete, change, or swap
    two neighbouring letters), so "crmap" is one edit from "cramp"."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def allowed_typos(word: str) -> int:
    """One wrong letter is forgiven in a word of 4 letters, two in a longer one; none in
    shorter words or in words with digits, so abbreviations ("ALS", "B12") match exactly."""
    if len(word) < MIN_TYPO_LENGTH or not word.isalpha():
        return 0
    return 1 if len(word) == MIN_TYPO_LENGTH else 2

"""What a person typed into search: made safe, split into words, and turned into terms.

Nothing a person types reaches a search engine as it was typed: only terms made by
content/search/words.py (lower-case letters and digits) do, so NUL bytes, odd Unicode and
operators such as `& | ! : * ( )` are just separators.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from content.search import words

MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 8


def clean_query(raw: str) -> str:
    """The search text a person typed, made safe to show and keep: printable characters
    only, single spaces, at most MAX_QUERY_LENGTH characters."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def query_words(text: str) -> list[str]:
    """The words searched for: stop words dropped ("is it MND?" -> ["mnd"]), at most
    MAX_QUERY_TERMS of them."""
    return [w for w in words.ascii_words(text) if w not in words.STOP_WORDS][:MAX_QUERY_TERMS]


def runs(sequence: list[str]) -> list[str]:
    """Every run of neighbouring terms, joined: ["a", "b"] -> ["a", "a b", "b"]."""
    return [
        " ".join(sequence[i:j])
        for i in range(len(sequence))
        for j in range(i + 1, len(sequence) + 1)
    ]


@dataclass(frozen=True)
class Query:
    text: str  # as typed (cleaned)
    words: tuple[str, ...]  # as searched for: typos corrected
    corrections: dict[str, str] = field(default_factory=dict)  # typed word -> word meant

    @property
    def sequence(self) -> list[str]:
        """The words' terms, in the order typed."""
        return [words.stem(w) for w in self.words]

    @property
    def terms(self) -> list[str]:
        """Distinct terms, sorted (the order PostgreSQL adds up their scores in)."""
        return sorted(set(self.sequence))

    @property
    def phrase(self) -> str:
        return " ".join(self.sequence)

    @property
    def ngrams(self) -> list[str]:
        """Every run of neighbouring terms: a page whose name or phrase is one of these is
        named in the query."""
        return runs(self.sequence)

    @property
    def corrected_text(self) -> str:
        """The query as searched for, when a typo was corrected: 'twitching legs'."""
        return " ".join(self.words) if self.corrections else ""

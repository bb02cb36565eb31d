"""The "When to get help" page's cards: every warning sign once, by urgency, then body area.

- Each shared sign (content.WarningSign) is one line, linked to every published article
  whose red flags point at it, at the most urgent of its own urgency and theirs.
- A published red flag with no shared sign is a line of its own, under "Other signs";
  red flags with the same words share it.
- Every sign of the clinical brief (content/core_red_flags.py) is on the page: as the shared
  sign with its words, or else as a line of its own under "Other signs".
- Nothing is shown less urgent than any of the signs it stands for.

Two queries, however many conditions and red flags there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from content import core_red_flags
from content.condition_cache import CARD_URGENCIES, Sign
from content.models import BodyArea, Condition, RedFlag, Status, Urgency, WarningSign


@dataclass
class Area:
    label: str
    signs: list[Sign]


@dataclass
class _Line:
    text: str
    urgency: str
    area: str = BodyArea.OTHER
    order: int = 1000
    conditions: list[Condition] = field(default_factory=list)

    def raise_to(self, urgency: str) -> None:
        if Urgency.rank(urgency) > Urgency.rank(self.urgency):
            self.urgency = urgency


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("(", " ").replace(")", " ").split()).rstrip(".")


def cards() -> list[tuple[str, list[Area]]]:
    """(urgency, its body areas with their signs), most urgent first; empty areas left out."""
    shared = {s.pk: _Line(s.text, s.urgency, s.area, s.order) for s in WarningSign.objects.all()}
    # A line with the same words as another is the same sign.
    by_text = {_normal(line.text): line for line in shared.values()}
    own: list[_Line] = []
    flags = (
        RedFlag.objects.filter(condition__status=Status.PUBLISHED)
        .select_related("condition")
        .only("text", "urgency", "sign_id", "condition__slug", "condition__name")
        .order_by("condition__name", "order", "pk")
    )
    for flag in flags:
        line = shared.get(flag.sign_id) if flag.sign_id else None
        if line is None:
            line = _line(by_text, own, flag.text, flag.urgency)
        line.raise_to(flag.urgency)
        if flag.condition not in line.conditions:
            line.conditions.append(flag.condition)
    for urgency, texts in core_red_flags.BY_URGENCY.items():
        for text in texts:
            _line(by_text, own, text, urgency).raise_to(urgency)
    lines = sorted([*shared.values(), *own], key=_place)
    areas = list(BodyArea)
    return [
        (
            urgency.value,
            [
                Area(area.label, signs)
                for area in areas
                if (
                    signs := [
                        Sign(line.text, line.conditions)
                        for line in lines
                        if line.urgency == urgency and line.area == area
                    ]
                )
            ],
        )
        for urgency in CARD_URGENCIES
    ]


def _line(by_text: dict[str, _Line], own: list[_Line], text: str, urgency: str) -> _Line:
    """The line with these words, or a new one of its own (under "Other signs")."""
    key = _normal(text)
    if key not in by_text:
        by_text[key] = _Line(text, urgency)
        own.append(by_text[key])
    return by_text[key]


def _place(line: _Line) -> tuple[int, str]:
    return (line.order, line.text)

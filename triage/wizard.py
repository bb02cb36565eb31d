"""The checker's page flow as plain data: which step comes next, which follow-ups show.

Like the engine, this has no Django imports. triage/knowledge.py builds a `Flow` from the
Step, Question and Option models; the views keep a person's answers as a plain mapping
{step slug: [finding codes]} (an answered step with nothing ticked is an empty list).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

NONE = "none"  # the value of "No" / "None of these" options (docs/checker-contract.md)
RADIO, CHECKBOX = "radio", "checkbox"
# A gateway question is answered Yes or No with two buttons (no options: it records no
# finding). Yes opens the questions `behind` it; its answer is kept as YES on its page.
GATEWAY, YES = "gateway", "yes"

Answers = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: str
    hint: str = ""


@dataclass(frozen=True)
class QuestionSpec:
    slug: str
    text: str
    kind: str
    options: tuple[OptionSpec, ...]
    hint: str = ""
    none_label: str = ""
    # A follow-up: shown only if one of these findings was given on an earlier step.
    shown_if_any: frozenset[str] = frozenset()
    # Behind a gateway: shown only if the gateway question of this slug was answered Yes.
    behind: str = ""

    @cached_property  # asked for on every step render; the spec never changes
    def codes(self) -> frozenset[str]:
        return frozenset(option.code for option in self.options)

    @property
    def required(self) -> bool:
        """Radios and gateways must be answered; a checkbox list with a "none" option must
        be too, so a blank page always means the person skipped it, not "none of these"."""
        return self.kind in {RADIO, GATEWAY} or bool(self.none_label)

    @property
    def answers(self) -> int:
        """How many answers the page offers for it, a "none" option aside."""
        return 2 if self.kind == GATEWAY else len(self.options)

    def label_for(self, code: str) -> str:
        return next((o.label for o in self.options if o.code == code), code)


@dataclass(frozen=True)
class StepSpec:
    slug: str
    title: str
    questions: tuple[QuestionSpec, ...]
    intro: str = ""


Visible = tuple[tuple[StepSpec, tuple[QuestionSpec, ...]], ...]
# Distinct answer sets whose visible steps a Flow keeps: those of the last few dozen
# requests (a page asks several times; a person reloads or goes back). With 4,096 kept, the
# collector's oldest generation grew to 45,000 objects and each full collection paused a
# server process for up to 29 ms; with 64, 6,000 objects and pauses of 3-5 ms. Fewer (8)
# missed on every reload of a result with 16 people at once: 10% more per result page.
MAX_REMEMBERED = 64


@dataclass(frozen=True)
class Flow:
    steps: tuple[StepSpec, ...]
    # visible() for the answer sets asked about last: each page asks for it several times,
    # and the flow never changes (a content edit builds a new Flow). Not part of its value.
    # The keys are finding codes alone, tied to no one, in this process's memory only.
    _seen: dict[tuple[tuple[str, tuple[str, ...]], ...], Visible] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def step(self, slug: str) -> StepSpec | None:
        return next((s for s in self.steps if s.slug == slug), None)

    def visible(self, answers: Answers) -> Visible:
        """The steps a person with these answers sees, each with its visible questions.

        A follow-up depends only on findings from earlier visible steps, so changing an
        earlier answer can hide a later question; its old answer then no longer counts.
        """
        key = tuple(sorted((slug, tuple(codes)) for slug, codes in answers.items()))
        if (known := self._seen.get(key)) is not None:
            return known
        if len(self._seen) >= MAX_REMEMBERED:
            self._seen.clear()
        shown = self._seen[key] = self._visible(answers)
        return shown

    def _visible(self, answers: Answers) -> Visible:
        given: set[str] = set()
        opened: set[str] = set()  # gateways answered Yes
        shown = []
        for step in self.steps:
            questions = tuple(
                q
                for q in step.questions
                if (not q.shown_if_any or q.shown_if_any & given)
                and (not q.behind or q.behind in opened)
            )
            if not questions:
                continue
            shown.append((step, questions))
            said = answers.get(step.slug, ())
            allowed = frozenset().union(*(q.codes for q in questions))
            given.update(code for code in said if code in allowed)
            if YES in said:
                opened.update(q.slug for q in questions if q.kind == GATEWAY)
        return tuple(shown)

    def visible_questions(self, slug: str, answers: Answers) -> tuple[QuestionSpec, ...]:
        return next((qs for step, qs in self.visible(answers) if step.slug == slug), ())

    def findings(self, answers: Answers) -> list[str]:
        """Every finding code given on a visible question, in page order."""
        codes: list[str] = []
        for step, questions in self.visible(answers):
            allowed = frozenset().union(*(q.codes for q in questions))
            codes += [c for c in answers.get(step.slug, ()) if c in allowed and c not in codes]
        return codes

    def number(self, slug: str, answers: Answers) -> int:
        """The step's place (1, 2...) among the steps a person with these answers sees."""
        return next(i for i, (s, _) in enumerate(self.visible(answers), 1) if s.slug == slug)

    def at(self, number: int, answers: Answers) -> StepSpec | None:
        """The step at that place in this person's walk, if there is one."""
        shown = self.visible(answers)
        return shown[number - 1][0] if 1 <= number <= len(shown) else None

    def first_unanswered(self, answers: Answers) -> StepSpec | None:
        return next((s for s, _ in self.visible(answers) if s.slug not in answers), None)

    def is_reachable(self, slug: str, answers: Answers) -> bool:
        """A step can be shown or posted once every visible step before it is answered."""
        for step, _ in self.visible(answers):
            if step.slug == slug:
                return True
            if step.slug not in answers:
                return False
        return False

    def next_after(self, slug: str, answers: Answers) -> StepSpec | None:
        slugs = [s for s, _ in self.visible(answers)]
        index = next((i for i, s in enumerate(slugs) if s.slug == slug), len(slugs))
        return slugs[index + 1] if index + 1 < len(slugs) else None

    def previous_before(self, slug: str, answers: Answers) -> StepSpec | None:
        slugs = [s for s, _ in self.visible(answers)]
        index = next((i for i, s in enumerate(slugs) if s.slug == slug), 0)
        return slugs[index - 1] if index > 0 else None

    def is_complete(self, answers: Answers) -> bool:
        return self.first_unanswered(answers) is None

    def label(self, code: str) -> str:
        """The words of the option a person ticked for this code (the first page's)."""
        return self._labels.get(code, code)

    @cached_property
    def _labels(self) -> dict[str, str]:
        labels: dict[str, str] = {}
        for step in self.steps:
            for q in step.questions:
                for option in q.options:
                    labels.setdefault(option.code, option.label)
        return labels

    def all_codes(self) -> frozenset[str]:
        return frozenset(code for s in self.steps for q in s.questions for code in q.codes)

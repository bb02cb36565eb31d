"""The symptom checker's questions and combination rules, as data.

Edited in the admin under Triage; loaded from triage/fixtures/ by `manage.py load_content`.
triage/knowledge.py turns these (with content.Symptom levels and content.ConditionSymptom
weights) into the plain data the pure engine (triage/engine.py) works on.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from content.models import Condition, SlugManager, Symptom, Urgency
from content.natural_keys import NaturalKeyManager


class Step(models.Model):
    """One page of the checker: a topic with one or more questions. Steps are shown in
    `order`; a step whose questions are all hidden (follow-ups not triggered) is skipped."""

    slug = models.SlugField(unique=True, help_text="Part of the page address, e.g. how-long.")
    title = models.CharField(max_length=120, help_text="Page heading, e.g. 'How long'.")
    intro = models.CharField(
        max_length=300, blank=True, help_text="One plain line under the heading."
    )
    order = models.PositiveSmallIntegerField(unique=True)

    objects = SlugManager["Step"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class QuestionKind(models.TextChoices):
    RADIO = "radio", "Choose one (radio buttons)"
    CHECKBOX = "checkbox", "Choose any (checkboxes)"
    # A Yes / No page that opens the questions behind it: a person with nothing more to
    # say on a topic skips its pages. It records no finding, so it has no options.
    GATEWAY = "gateway", "Yes or No: opens the questions behind it (a gateway)"


class QuestionManager(NaturalKeyManager["Question"]):
    natural_key_lookups = ("slug",)


class Question(models.Model):
    """A question on a step. Each option records one finding code."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="questions")
    slug = models.SlugField(unique=True, help_text="Form field name, e.g. 'duration'.")
    text = models.CharField(max_length=250, help_text="The question, in plain words.")
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    order = models.PositiveSmallIntegerField(default=100)
    none_label = models.CharField(
        max_length=80,
        blank=True,
        help_text="Label of the 'none' option (e.g. 'None of these', 'No'). Blank: no such option.",
    )
    shown_if_any = models.ManyToManyField(
        Symptom,
        blank=True,
        related_name="follow_up_questions",
        help_text="A follow-up: shown only if any of these findings was given earlier.",
    )
    # Deleting a gateway shows what was behind it to everyone (never hides a question).
    behind = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opens",
        limit_choices_to={"kind": QuestionKind.GATEWAY},
        help_text="Shown only to people who answered Yes to this gateway question.",
    )

    objects = QuestionManager()
    history = HistoricalRecords(m2m_fields=[shown_if_any])

    class Meta:
        ordering = ["step__order", "order"]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        """What a single question can get wrong; the safety rules (triage/safety.py) check
        the pages as a whole (a gateway alone on its page, before what it opens)."""
        errors: dict[str, str] = {}
        if self.kind == QuestionKind.GATEWAY and self.none_label:
            errors["none_label"] = "A gateway is answered Yes or No: leave this blank."
        if self.behind_id is not None and self.behind_id == self.pk:
            errors["behind"] = "A question cannot be behind itself."
        if errors:
            raise ValidationError(errors)


class OptionManager(NaturalKeyManager["Option"]):
    natural_key_lookups = ("question__slug", "symptom__code")


class Option(models.Model):
    """An answer option; its value is the finding code it records."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    symptom = models.ForeignKey(Symptom, on_delete=models.PROTECT, related_name="options")
    label = models.CharField(max_length=250)
    hint = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=100)

    objects = OptionManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "symptom"], name="unique_option_finding")
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self) -> tuple[str, str]:
        return (self.question.slug, self.symptom.code)

    # Read by Django's serializers; mypy types no attributes on a function.
    natural_key.dependencies = ["triage.question", "content.symptom"]  # type: ignore[attr-defined]


class CombinationRule(models.Model):
    """A combination of findings that raises the urgency (clinical brief, "Combinations").

    Matches when all of `all_of` are present, at least one of each "any of" list that is
    filled in, and at least two of `two_of` (if given). Rules only ever require findings,
    so adding an answer never lowers the level (brief rule 1). Edited in the admin under
    Triage > Combination rules.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, help_text="Short name for editors.")
    level = models.CharField(
        max_length=10, choices=[c for c in Urgency.choices if c[0] != Urgency.SELF_CARE]
    )
    reason = models.CharField(
        max_length=300, help_text="Shown to the person: why this combination matters."
    )
    source = models.CharField(max_length=200, help_text="Clinical source, e.g. 'S38 Mayo Clinic'.")
    all_of = models.ManyToManyField(
        Symptom, blank=True, related_name="rules_all", help_text="Every one of these."
    )
    any_of = models.ManyToManyField(
        Symptom, blank=True, related_name="rules_any", help_text="And at least one of these."
    )
    any_of_2 = models.ManyToManyField(
        Symptom,
        blank=True,
        related_name="rules_any_2",
        verbose_name="and any of (second list)",
        help_text="And at least one of these too.",
    )
    any_of_3 = models.ManyToManyField(
        Symptom,
        blank=True,
        related_name="rules_any_3",
        verbose_name="and any of (third list)",
        help_text="And at least one of these too.",
    )
    two_of = models.ManyToManyField(
        Symptom,
        blank=True,
        related_name="rules_two_of",
        verbose_name="at least two of",
        help_text="And at least two of these.",
    )
    conditions = models.ManyToManyField(
        Condition, blank=True, related_name="rules", help_text="Likely causes it points to."
    )
    active = models.BooleanField(default=True)

    objects = SlugManager["CombinationRule"]()
    history = HistoricalRecords(m2m_fields=[all_of, any_of, any_of_2, any_of_3, two_of, conditions])

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

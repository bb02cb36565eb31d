"""Content models: conditions, the findings (symptoms) people report, remedies, tests, sources.

All are edited in the Django admin (content/admin.py) and loaded from the reviewed YAML
fixtures in content/fixtures/ by `manage.py load_content`. Slugs (or finding codes) are the
natural keys, so fixtures never mention integer ids.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from content.natural_keys import NaturalKeyManager

_M = TypeVar("_M", bound=models.Model)


class Urgency(models.TextChoices):
    """The four urgency levels of the clinical brief, most urgent first."""

    EMERGENCY = "emergency", "Emergency: call 999 or go to A&E now"
    URGENT = "urgent", "Urgent: get help today"
    SOON = "soon", "Soon: see a GP within about 2 weeks"
    SELF_CARE = "self-care", "Self-care at home"

    @classmethod
    def rank(cls, value: str) -> int:
        """0 for self-care up to 3 for emergency (the checker's order, triage/engine.py)."""
        order: list[str] = [cls.SELF_CARE, cls.SOON, cls.URGENT, cls.EMERGENCY]
        return order.index(value)


class Seriousness(models.TextChoices):
    HARMLESS = "usually-harmless", "Usually harmless"
    DOCTOR = "see-a-doctor", "Needs a doctor"
    EMERGENCY = "emergency", "Can be an emergency"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class SlugManager(NaturalKeyManager[_M]):
    natural_key_lookups = ("slug",)


class SiteVersion(models.Model):
    """One row counting content edits. Every save or delete of content bumps it
    (publishing/signals.py), so any server can tell cheaply that its caches are stale."""

    number = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"content version {self.number}"


class Source(models.Model):
    """A reputable page an article relies on. Edited in admin under Content > Sources."""

    slug = models.SlugField(
        unique=True, help_text="Short id used by fixtures, e.g. nhs-leg-cramps."
    )
    publisher = models.CharField(max_length=120, help_text="Who publishes it, e.g. NHS, NICE.")
    title = models.CharField(max_length=250, help_text="The page's own title.")
    url = models.URLField(max_length=500, help_text="Full https:// address of the page.")
    accessed_on = models.DateField(help_text="When an editor last read the page.")

    objects = SlugManager["Source"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["publisher", "title"]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class FindingGroup(models.TextChoices):
    """The groups of findings.yaml."""

    ABOUT_YOU = "about_you", "About you"
    EMERGENCY_SIGNS = "emergency_signs", "Emergency signs"
    URGENT_SIGNS = "urgent_signs", "Urgent signs and medicines"
    WHAT_IT_IS_LIKE = "what_it_is_like", "What it is like"
    HOW_LONG = "how_long", "How long"
    OTHER_SYMPTOMS = "other_symptoms", "Other symptoms"
    LIFESTYLE = "lifestyle", "Lifestyle"


class SymptomManager(NaturalKeyManager["Symptom"]):
    natural_key_lookups = ("code",)


class Symptom(models.Model):
    """One finding a person can report, keyed by its code in findings.yaml.

    Edited in admin under Content > Symptoms. `level` is the advice the finding deserves
    on its own; it may be raised but never lowered below `floor_level`, which comes
    from the clinical brief and is not editable in the admin.
    """

    code = models.SlugField(
        max_length=60, unique=True, help_text="Finding code from findings.yaml. Never rename."
    )
    group = models.CharField(max_length=20, choices=FindingGroup.choices)
    name = models.CharField(
        max_length=120, help_text="Short plain label shown on pages, e.g. 'Cramp in the calf'."
    )
    meaning = models.CharField(
        max_length=250, help_text="What a person means by it, read back to them as a reason."
    )
    level = models.CharField(
        max_length=10,
        choices=Urgency.choices,
        blank=True,
        help_text="Urgency this finding gets on its own. Blank: none on its own.",
    )
    floor_level = models.CharField(
        max_length=10,
        choices=Urgency.choices,
        blank=True,
        editable=False,
        help_text="The lowest level the clinical brief allows for this finding.",
    )
    context = models.BooleanField(
        default=False,
        help_text="A fact about the person (age, a medicine, a risk) rather than a symptom: "
        "the checker never lists a likely cause on it alone.",
    )
    concern = models.CharField(
        max_length=250,
        blank=True,
        help_text="What it may mean, shown after 'You told us' when it sets the result, "
        "e.g. 'A swollen, painful calf on one side can be a blood clot (DVT).'",
    )

    objects = SymptomManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class RemedyKind(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate relief"
    LONG_TERM = "long-term", "Long-term management"
    LIFESTYLE = "lifestyle", "Lifestyle"


class RemedyQuerySet(models.QuerySet["Remedy"]):
    pass


_RemedyManagerBase = SlugManager.from_queryset(RemedyQuerySet)


class RemedyManager(_RemedyManagerBase["Remedy"]):
    pass


class Remedy(models.Model):
    """A self-care step, with how to do it safely. Edited in admin under Content > Remedies."""

    slug = models.SlugField(unique=True, help_text="Short id, e.g. stretch-the-calf.")
    name = models.CharField(max_length=120, help_text="Plain name, e.g. 'Stretch the calf'.")
    kind = models.CharField(max_length=10, choices=RemedyKind.choices)
    summary = models.CharField(max_length=250, help_text="One line: what it is and why it helps.")
    how_to = models.TextField(help_text="Markdown: the steps, in plain words.")
    safety = models.TextField(blank=True, help_text="Markdown: when not to do it, and cautions.")
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower shows first.")
    only_with = models.ManyToManyField(
        Symptom,
        blank=True,
        related_name="remedies_only_with",
        help_text="The checker offers it only to a person who reported one of these "
        "(stop smoking only to people who smoke). Blank: it fits everyone.",
    )

    objects = RemedyManager()
    history = HistoricalRecords(m2m_fields=[only_with])

    class Meta:
        ordering = ["kind", "order", "name"]
        verbose_name_plural = "remedies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:remedies") + f"#{self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class DiagnosticTest(models.Model):
    """A test a doctor may do (EMG, EEG, MRI, blood tests). Edited under Content > Tests."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, help_text="e.g. 'Electromyography'.")
    short_name = models.CharField(max_length=30, blank=True, help_text="e.g. 'EMG'.")
    summary = models.CharField(max_length=250, help_text="One line: what it checks.")
    body = models.TextField(help_text="Markdown: why it is done, what happens, what it feels like.")
    order = models.PositiveSmallIntegerField(default=100)

    objects = SlugManager["DiagnosticTest"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def get_absolute_url(self) -> str:
        return reverse("content:tests") + f"#{self.slug}"

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


# Least worrying first: most people reading the A-Z have a harmless cause.
SERIOUSNESS_ORDER = [Seriousness.HARMLESS, Seriousness.DOCTOR, Seriousness.EMERGENCY]


class ConditionQuerySet(models.QuerySet["Condition"]):
    def published(self) -> ConditionQuerySet:
        return self.filter(status=Status.PUBLISHED)

    def links(self) -> ConditionQuerySet:
        """Published conditions with only what a link needs, by name."""
        return self.published().only("slug", "name", "seriousness").order_by("name")

    def by_seriousness(self) -> ConditionQuerySet:
        """Least worrying first (SERIOUSNESS_ORDER), then by name."""
        rank = models.Case(
            *(models.When(seriousness=s, then=i) for i, s in enumerate(SERIOUSNESS_ORDER)),
            default=len(SERIOUSNESS_ORDER),
            output_field=models.IntegerField(),
        )
        return self.annotate(seriousness_rank=rank).order_by("seriousness_rank", "name")

    def review_overdue(self, today: datetime.date | None = None) -> ConditionQuerySet:
        return self.filter(next_review_due__lt=today or timezone.localdate())


_ConditionManagerBase = NaturalKeyManager.from_queryset(ConditionQuerySet)


class ConditionManager(_ConditionManagerBase["Condition"]):
    natural_key_lookups = ("slug",)


class Condition(models.Model):
    """An article about one condition or cause. Edited in admin under Content > Conditions,
    with its red flags and typical symptoms inline. Only published ones are public."""

    slug = models.SlugField(unique=True, help_text="Fixed web address part. Do not change.")
    name = models.CharField(max_length=120)
    other_names = models.CharField(
        "also called",
        max_length=250,
        blank=True,
        help_text="Other names people know it by, separated by commas: abbreviations (MND, "
        "ALS), everyday names (charley horse). Search ranks these like the name.",
    )
    search_phrases = models.TextField(
        "common search phrases",
        blank=True,
        help_text="What people type when this is what they have, one phrase a line, in "
        "their words: 'jumping legs at night', 'calf keeps twitching'. Search ranks a page "
        "first when the query is one of these.",
    )
    summary = models.CharField(max_length=250, help_text="One line in plain words.")
    seriousness = models.CharField(max_length=20, choices=Seriousness.choices)
    what_it_is = models.TextField(help_text="Markdown: what it is.")
    should_i_worry = models.TextField(
        blank=True, help_text="Markdown: how likely it is, what makes it unlikely or urgent."
    )
    symptoms = models.TextField(help_text="Markdown: how it feels and what people notice.")
    causes = models.TextField(help_text="Markdown: what causes it.")
    diagnosis = models.TextField(help_text="Markdown: how a doctor finds out.")
    treatment = models.TextField(help_text="Markdown: treatment and self-care.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reviewed_on = models.DateField(null=True, blank=True, help_text="Page last reviewed.")
    next_review_due = models.DateField(
        null=True, blank=True, help_text="At most 3 years after the last review."
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="conditions")
    remedies = models.ManyToManyField(Remedy, blank=True, related_name="conditions")
    tests = models.ManyToManyField(DiagnosticTest, blank=True, related_name="conditions")
    # Not symmetrical: each article owns its own list, so loading one never rewrites another.
    related = models.ManyToManyField("self", blank=True, symmetrical=False)
    only_with = models.ManyToManyField(
        Symptom,
        blank=True,
        related_name="+",
        verbose_name="checker suggests it only with",
        help_text="Leave empty for most conditions. If set, the symptom checker lists this "
        "condition only when one of these was answered (e.g. pregnancy).",
    )
    # Not auto_now: fixture loading saves raw, which skips auto_now; save() sets it.
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ConditionManager()
    history = HistoricalRecords(m2m_fields=[sources, remedies, tests, related, only_with])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("content:condition", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    @property
    def other_names_list(self) -> list[str]:
        return [name.strip() for name in self.other_names.split(",") if name.strip()]

    @property
    def is_review_overdue(self) -> bool:
        return bool(self.next_review_due and self.next_review_due < timezone.localdate())

    def fingerprint(self) -> str:
        """A digest of this exact version of the article, as a reader sees it: its own
        texts and dates, its red flags, typical signs, sources, remedies and tests (not its
        related pages: those are other articles, linked while they are published). Any edit
        of these changes it, so a clinician's sign-off of one version (ClinicalSignOff)
        stops counting once the article changes. Reads prefetched relations when there are
        any (content/condition_cache.py), so it costs no query there."""
        version = {
            "fields": {name: str(getattr(self, name)) for name in SIGNED_FIELDS},
            "red_flags": sorted((f.order, f.slug, f.text, f.urgency) for f in self.red_flags.all()),
            "typical": sorted((cs.symptom.name, cs.weight) for cs in self.typical_symptoms.all()),
            "sources": sorted(
                (s.publisher, s.title, s.url, str(s.accessed_on)) for s in self.sources.all()
            ),
            "remedies": sorted(r.slug for r in self.remedies.all()),
            "tests": sorted(t.slug for t in self.tests.all()),
        }
        text = json.dumps(version, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()

    def current_sign_off(self) -> ClinicalSignOff | None:
        """The clinician's sign-off of this very version of the article, if there is one.
        No query when the sign-off was loaded with select_related("sign_off")."""
        try:
            sign_off: ClinicalSignOff = self.sign_off
        except ClinicalSignOff.DoesNotExist:
            return None
        return sign_off if sign_off.fingerprint == self.fingerprint() else None


# The article's sections, in page order (Markdown fields of Condition).
ARTICLE_SECTIONS = (
    "what_it_is",
    "should_i_worry",
    "symptoms",
    "causes",
    "diagnosis",
    "treatment",
)
# What a reader sees of a condition's own fields (not how search finds it, nor whether
# it is published): a change to any of these is a new version of the article.
SIGNED_FIELDS = (
    "name",
    "other_names",
    "summary",
    "seriousness",
    *ARTICLE_SECTIONS,
    "reviewed_on",
    "next_review_due",
)


class ClinicalSignOff(models.Model):
    """A clinician's sign-off of one exact version of an article: who, their role as they
    want it shown, the day, and the article's fingerprint then (Condition.fingerprint).
    Made in the admin (a condition's page, "Clinical sign-off") by a member of the
    Clinical reviewers group. The page shows "Reviewed by NAME, ROLE on DATE" only while
    the article still has that fingerprint: a later edit clears it until signed again.
    One row per article (signing again replaces it); the history keeps every sign-off."""

    condition = models.OneToOneField(Condition, on_delete=models.CASCADE, related_name="sign_off")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text="The account that signed off.",
    )
    name = models.CharField(max_length=120, help_text="The reviewer's name, as the page shows it.")
    role = models.CharField(
        max_length=120,
        help_text="The reviewer's role, as they want it shown, e.g. GP or consultant neurologist.",
    )
    signed_on = models.DateField(help_text="The day they signed off.")
    fingerprint = models.CharField(
        max_length=64, help_text="The fingerprint of the version of the article they signed."
    )

    history = HistoricalRecords()

    class Meta:
        permissions = [("sign_off_condition", "Can sign off an article as a clinical reviewer")]

    def __str__(self) -> str:
        return f"{self.condition}: signed off by {self.name}, {self.role} on {self.signed_on}"


class BodyArea(models.TextChoices):
    """Where in the body a warning sign is, to group the "When to get help" page; in the
    order that page shows them."""

    BRAIN = "brain", "Brain, speech and sight"
    HEART = "heart", "Heart, chest and breathing"
    BACK = "back", "Back, bladder and bowels"
    LEGS = "legs", "Legs and feet"
    MUSCLES = "muscles", "Muscles, nerves and movement"
    PREGNANCY = "pregnancy", "Pregnancy and after the birth"
    MEDICINES = "medicines", "Medicines, alcohol and drugs"
    SLEEP = "sleep", "Sleep"
    MIND = "mind", "Mood, memory and thinking"
    BODY = "body", "Whole body"
    OTHER = "other", "Other signs"


class WarningSign(models.Model):
    """One warning sign as the "When to get help" page shows it, shared by every article
    whose red flags say the same thing in their own words.

    Articles write their red flags for their own readers, so one sign (say "chest pain or
    sudden breathlessness") appears in a dozen articles, worded a dozen ways. Each
    `RedFlag` may link here (`RedFlag.sign`); the page then shows this text once, under
    its body area, linked to all those articles. Edited in admin under Content > Warning
    signs; loaded from content/fixtures/signs.yaml. Nothing is ever lowered: the page
    shows a sign at its own urgency or at the most urgent of its published red flags,
    whichever is higher. A red flag with no sign (a new one an editor has just added) is
    shown on its own under "Other signs", so the page is never missing one. The clinical
    brief's signs (content/core_red_flags.py) are the text of signs here; any brief sign
    no sign's text matches is shown on its own too.
    """

    slug = models.SlugField(unique=True, help_text="Short id used by fixtures, e.g. chest-pain.")
    text = models.CharField(
        max_length=300,
        help_text="The sign in plain words, as the 'When to get help' page shows it. "
        "It must still be true for every red flag linked to it.",
    )
    urgency = models.CharField(
        max_length=10,
        choices=[c for c in Urgency.choices if c[0] != Urgency.SELF_CARE],
        help_text="What to do if it happens. The page uses the most urgent of this and its "
        "red flags' urgencies.",
    )
    area = models.CharField(
        max_length=10,
        choices=BodyArea.choices,
        help_text="The heading it is listed under on the 'When to get help' page.",
    )
    order = models.PositiveSmallIntegerField(
        default=100, help_text="Lower shows first within its body area."
    )

    objects = SlugManager["WarningSign"]()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "text"]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("content:get_help")

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class RedFlagManager(NaturalKeyManager["RedFlag"]):
    natural_key_lookups = ("condition__slug", "slug")


class RedFlag(models.Model):
    """A warning sign on a condition page, shown as a care card at its urgency.
    Edited inline on the condition in the admin."""

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="red_flags")
    slug = models.SlugField(help_text="Short id, unique within the condition.")
    text = models.CharField(max_length=300, help_text="The sign, in plain words.")
    urgency = models.CharField(
        max_length=10,
        choices=[c for c in Urgency.choices if c[0] != Urgency.SELF_CARE],
        help_text="What to do if it happens. Required.",
    )
    finding = models.ForeignKey(
        Symptom,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_flags",
        help_text="The checker finding this sign matches, if any. Its urgency may not be lower.",
    )
    sign = models.ForeignKey(
        WarningSign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="red_flags",
        help_text="The shared warning sign this red flag says in its own words, for the "
        "'When to get help' page. Blank: the page lists this red flag on its own.",
    )
    order = models.PositiveSmallIntegerField(default=100)

    objects = RedFlagManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["condition", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["condition", "slug"], name="unique_red_flag_slug")
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str, str]:
        return (self.condition.slug, self.slug)

    # Read by Django's serializers; mypy types no attributes on a function.
    natural_key.dependencies = ["content.condition"]  # type: ignore[attr-defined]


class Typicality(models.IntegerChoices):
    """How strongly a finding points to a condition; the checker adds these up."""

    HALLMARK = 3, "Hallmark: the main sign"
    COMMON = 2, "Common"
    SOMETIMES = 1, "Sometimes"


class ConditionSymptomManager(NaturalKeyManager["ConditionSymptom"]):
    natural_key_lookups = ("condition__slug", "symptom__code")


class ConditionSymptom(models.Model):
    """A typical symptom of a condition and how typical it is. The checker uses these links
    to rank likely causes. Edited inline on the condition in the admin."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="typical_symptoms"
    )
    symptom = models.ForeignKey(Symptom, on_delete=models.PROTECT, related_name="conditions")
    weight = models.PositiveSmallIntegerField(choices=Typicality.choices, default=Typicality.COMMON)

    objects = ConditionSymptomManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["condition", "-weight", "symptom__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "symptom"], name="unique_condition_symptom"
            )
        ]

    def __str__(self) -> str:
        return f"{self.condition.slug}: {self.symptom.code} ({self.get_weight_display()})"

    def natural_key(self) -> tuple[str, str]:
        return (self.condition.slug, self.symptom.code)

    # Read by Django's serializers; mypy types no attributes on a function.
    natural_key.dependencies = ["content.condition", "content.symptom"]  # type: ignore[attr-defined]


class FixtureRecord(models.Model):
    """What `load_content` last wrote for one fixture object (a digest of its fields).

    If the database no longer matches the digest, an editor has changed the object since,
    and `load_content` reports a conflict instead of overwriting their work.
    """

    model = models.CharField(max_length=100)
    key = models.CharField(max_length=300, help_text="The object's natural key, as JSON.")
    digest = models.CharField(max_length=64)
    fields = models.TextField(
        blank=True, help_text="The field names the digest covers, as a JSON list."
    )
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "key"], name="unique_fixture_record")
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.key}"


# The search index's tables belong to this app; they live beside the code that fills them.
from content.search.models import SearchDocument, SearchPhrase, SearchWord  # noqa: E402, F401

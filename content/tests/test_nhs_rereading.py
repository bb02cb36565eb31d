"""What the re-reading against the NHS pages of December 2026 (issue 13) fixed, kept fixed.

- Every published article's sources come from at least two publishers, counting every NHS
  body (a hospital trust, NHS 111) as one publisher: NHS plus an NHS trust is only the NHS.
- A condition that comes on slowly never lists as typical a sign defined as "getting worse
  over days": the article's "Typical signs" would contradict its own text (MND said its
  main sign was foot drop "getting worse over days" while saying it starts slowly).
- Where an article sends a reader to A&E for a sign that may leave the legs weak or numb,
  or for a clot, it says not to drive there themselves (the NHS pages say so).
"""

from __future__ import annotations

import pytest

from content.models import Condition, ConditionSymptom
from content.tests.test_articles import PUBLISHED

pytestmark = pytest.mark.django_db

SLOW = ["motor-neurone-disease", "muscular-dystrophy", "parkinsons-disease"]
DO_NOT_DRIVE = [
    "deep-vein-thrombosis",
    "pulmonary-embolism",
    "cauda-equina-syndrome",
    "sciatica",
]


def publisher_family(publisher: str) -> str:
    return "NHS" if "NHS" in publisher.split() else publisher


@pytest.mark.parametrize("slug", PUBLISHED)
def test_article_cites_two_publishers(slug: str) -> None:
    condition = Condition.objects.get(slug=slug)
    families = {publisher_family(s.publisher) for s in condition.sources.all()}
    assert len(families) >= 2, f"{slug} cites only {families}"


def test_publisher_family_counts_nhs_trusts_as_nhs() -> None:
    assert publisher_family("Royal Free London NHS Foundation Trust") == "NHS"
    assert publisher_family("NICE Clinical Knowledge Summaries") != "NHS"


@pytest.mark.parametrize("slug", SLOW)
def test_a_slow_condition_lists_no_sign_that_worsens_over_days(slug: str) -> None:
    assert Condition.objects.filter(slug=slug).exists(), slug
    typical = ConditionSymptom.objects.filter(condition__slug=slug).select_related("symptom")
    fast = [cs.symptom.name for cs in typical if "over days" in cs.symptom.name.lower()]
    assert not fast, f"{slug} lists {fast} as typical, but it comes on over weeks and months"


def test_mnd_names_the_nhs_early_signs_it_used_to_omit() -> None:
    symptoms = " ".join(
        Condition.objects.get(slug="motor-neurone-disease").symptoms.lower().split()
    )
    assert "losing weight" in symptoms
    assert "crying or laughing" in symptoms


@pytest.mark.parametrize("slug", DO_NOT_DRIVE)
def test_an_a_and_e_article_says_do_not_drive_yourself(slug: str) -> None:
    condition = Condition.objects.get(slug=slug)
    assert "do not drive yourself" in " ".join(condition.should_i_worry.lower().split()), slug

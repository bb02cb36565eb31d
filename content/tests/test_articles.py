"""Quality and safety checks for the published condition articles (issue 3).

Every published article must:
- be a real article (at least 300 words of rendered text), in plain words (Flesch-Kincaid
  grade at most 8 each, median at most 6.5 across all published articles);
- share no run of 8 or more words with the seed articles (content/tests/data/seeds/);
- cite at least two reputable https sources;
- have review dates, the next review due after the last and at most 3 years later;
- have red flags that are never shown at a lower urgency than findings.yaml and the
  clinical brief's "Red flags in words" (with its December 2026 amendments) give them.
Also: every core condition of the brief exists and is published. (That the checker puts a
listed cause in its top 3 for every sample vignette is triage/tests/test_causes.py's.)
"""

from __future__ import annotations

import datetime
import html
import re
import statistics
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import textstat
import yaml
from django.conf import settings

from content.markdown import render_markdown
from content.models import Condition, Status, Urgency

BASE = Path(settings.BASE_DIR)
SEEDS = BASE / "content/tests/data/seeds"
CONDITION_FIXTURES = BASE / "content/fixtures/conditions"

SECTIONS = ("what_it_is", "should_i_worry", "symptoms", "causes", "diagnosis", "treatment")
MIN_WORDS = 300
MAX_GRADE = 8.0
MAX_MEDIAN_GRADE = 6.5
NGRAM = 8
MAX_REVIEW_GAP_DAYS = 3 * 365 + 1  # three years, allowing for one leap day

# The 40 core conditions of docs/clinical-brief.md ("Core conditions"). Slugs are fixed.
CORE_SLUGS = (
    # usually harmless or lifestyle
    "benign-fasciculations", "leg-cramps", "restless-legs-syndrome",
    "periodic-limb-movement-disorder", "hypnic-jerks", "caffeine-and-stimulants",
    "stress-and-anxiety", "lack-of-sleep", "exercise-and-overexertion", "dehydration",
    "electrolyte-imbalance", "iron-deficiency-anaemia", "low-blood-sugar",
    "medicine-side-effects", "poor-circulation",
    # need a doctor
    "deep-vein-thrombosis", "sciatica", "peripheral-neuropathy", "motor-neurone-disease",
    "multiple-sclerosis", "parkinsons-disease", "huntingtons-disease", "epilepsy",
    "alzheimers-disease", "dementia-with-lewy-bodies", "fibromyalgia", "muscular-dystrophy",
    "lyme-disease", "overactive-thyroid", "kidney-disease",
    # emergencies
    "stroke", "pulmonary-embolism", "cauda-equina-syndrome", "guillain-barre-syndrome",
    "tetanus", "serotonin-syndrome", "compartment-syndrome", "acute-limb-ischaemia",
    "rhabdomyolysis", "alcohol-withdrawal",
)  # fmt: skip

# Reputable publishers (docs/content-guide.md: NHS and NHS trusts, NICE, MedlinePlus, Mayo
# Clinic, NINDS, MSD Manual, Cleveland Clinic, national charities; plus the public health
# services the clinical brief itself cites). A source must name one of these publishers AND
# live on one of their web domains.
REPUTABLE_PUBLISHERS = {
    # publisher name (matched case-insensitively within Source.publisher): allowed domains
    "NHS": ("nhs.uk", "nhsinform.scot", "nhslothian.scot"),  # NHS Lothian: a Scottish health board
    "NICE": ("nice.org.uk",),
    "MedlinePlus": ("medlineplus.gov",),
    "Mayo Clinic": ("mayoclinic.org",),
    "NINDS": ("ninds.nih.gov",),
    "MSD Manual": ("msdmanuals.com",),
    "Cleveland Clinic": ("clevelandclinic.org",),
    "HealthLinkBC": ("healthlinkbc.ca",),
    "Fairview": ("fairview.org",),
    # national charities
    "RLS-UK": ("rls-uk.org",),
    "MND Association": ("mndassociation.org",),
    "MS Society": ("mssociety.org.uk",),
    "Parkinson's UK": ("parkinsons.org.uk",),
    "Epilepsy Action": ("epilepsy.org.uk",),
    "Epilepsy Society": ("epilepsysociety.org.uk",),
    "Alzheimer's Society": ("alzheimers.org.uk",),
    "Huntington's Disease Association": ("hda.org.uk",),
    "Lewy Body Society": ("lewybody.org",),
    "Diabetes UK": ("diabetes.org.uk",),
    "Kidney Care UK": ("kidneycareuk.org",),
    "Kidney Research UK": ("kidneyresearchuk.org",),
    "British Heart Foundation": ("bhf.org.uk",),
    "Stroke Association": ("stroke.org.uk",),
    "Muscular Dystrophy UK": ("musculardystrophyuk.org",),
    "Mind": ("mind.org.uk",),
    "Anxiety UK": ("anxietyuk.org.uk",),
    "British Thyroid Foundation": ("btf-thyroid.org",),
    "Lyme Disease Action": ("lymediseaseaction.org.uk",),
    "Fibromyalgia Action UK": ("fmauk.org",),
    "Versus Arthritis": ("versusarthritis.org",),
    "GAIN": ("gaincharity.org.uk",),
    "GBS|CIDP Foundation": ("gbs-cidp.org",),
    "Thrombosis UK": ("thrombosisuk.org",),
    "Circulation Foundation": ("circulationfoundation.org.uk",),
    "Drinkaware": ("drinkaware.co.uk",),
}

# "Red flags in words" of docs/clinical-brief.md, with its "Amendments of December 2026": a red
# flag whose text mentions one of these signs is never shown below the brief's level.
# (pattern, minimum level, unless-pattern)
# Patterns are matched case-insensitively against the red flag's text.
BRIEF_PHRASES: tuple[tuple[str, str, str | None], ...] = (
    # emergency (999 / A&E)
    (r"face (is )?droop|drooping face|face drooping|fast signs?", "emergency", None),
    (r"chest pain", "emergency", None),
    (r"sudden(ly)? breathless|sudden breathlessness|suddenly short of breath", "emergency", None),
    (r"cough(ing|s)? (up )?blood", "emergency", None),
    (r"genitals|numb(ness)? around (your|the) bottom|saddle", "emergency", None),
    (r"bladder|bowel|can(no|')t control (your )?(pee|poo)", "emergency", None),
    (r"weakness[^.]{0,40}both legs|both legs[^.]{0,40}(weak|numb)", "emergency", None),
    (r"(fit|seizure)[^.]{0,60}5 minutes|not wak|hard to wake|won't wake", "emergency", None),
    (r"spread(s|ing)? up|creep(s|ing)? up from", "emergency", None),
    (r"sudden(ly)?[^.]{0,30}(breath|swallow)", "emergency", None),
    (r"stiff jaw|lockjaw|jaw[^.]{0,20}stiff", "emergency", None),
    (r"sudden(ly)? confus|very confused|drows", "emergency", None),
    (r"tight,? (swell|swollen)|tight[^.]{0,15}cast|plaster cast", "emergency", None),
    (r"cold[^.]{0,20}pale|pale[^.]{0,20}cold", "emergency", None),
    (r"cola", "emergency", None),
    (r"sugar[^.]{0,80}not (better|improving|getting better)", "emergency", None),
    (r"hallucinat|see(s|ing)? or hear(s|ing)? things|seeing things", "emergency", None),
    (r"antidepressant[^.]{0,120}(high temperature|fever)", "emergency", None),
    (r"back[^.]{0,30}down both legs|sciatica[^.]{0,20}both (legs|sides)", "emergency", None),
    (r"(heartbeat|palpitations?)[^.]{0,30} with (fainting|feeling (dizzy|faint)|dizziness)",
     "emergency", None),
    # urgent (same day)
    (r"swollen[^.]{0,60}(calf|leg)|(calf|leg)[^.]{0,60}swollen|swelling in one", "urgent", r"both"),
    (r"first(-ever)? (fit|seizure)", "urgent", None),
    (r"no pee|not peed|hardly peeing|8 hours", "urgent", None),
    (r"(more|longer) than 10 minutes", "urgent", None),
    (r"around (the|your) mouth|tingling lips|lips[^.]{0,20}tingl", "urgent", None),
    (r"foot drop|cannot lift the front of", "urgent", None),
    (r"speech|slurr|swallow|chok", "urgent", None),
    (r"tetanus", "urgent", None),
    (r"statin[^.]{0,80}(pain|weak|cramp)", "urgent", None),
    (r"(vomit|diarrhoea)[^.]{0,80}cramp|cramp[^.]{0,80}(vomit|diarrhoea)", "urgent", None),
    (r"antidepressant[^.]{0,120}(agitat|sweat|shiver)", "urgent", None),
    # soon (GP). December 2026: a fluttering heartbeat alone, dizziness on standing alone,
    # cramps on a water tablet alone and low-sugar spells without diabetes moved down to here.
    (r"irregular (heart|pulse)|heart(beat)?[^.]{0,40}(irregular|flutter|pound)|palpitation",
     "soon", None),
    (r"dizzy[^.]{0,40}stand", "soon", None),
    (r"(water tablet|diuretic)[^.]{0,80}cramp|cramp[^.]{0,80}(water tablet|diuretic)", "soon",
     None),
    (r"(not|don't|do not) have diabetes|without diabetes", "soon", None),
)  # fmt: skip


# --- helpers -------------------------------------------------------------------------------


def _published_slugs_in_fixtures() -> list[str]:
    """Slugs of the conditions the fixtures publish (read at collection time)."""
    slugs = []
    for path in sorted(CONDITION_FIXTURES.glob("*.yaml")):
        for obj in yaml.safe_load(path.read_text()) or []:
            fields = obj.get("fields", {})
            if obj.get("model") == "content.condition" and fields.get("status") == "published":
                slugs.append(fields["slug"])
    return slugs


PUBLISHED = _published_slugs_in_fixtures()


def article_text(condition: Condition) -> str:
    """The article as a reader sees it: each section rendered, tags stripped, joined."""
    parts = []
    for name in SECTIONS:
        rendered = str(render_markdown(getattr(condition, name) or ""))
        parts.append(html.unescape(re.sub(r"<[^>]+>", " ", rendered)))
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def words(text: str) -> list[str]:
    """Words split on whitespace, lower-cased, punctuation stripped; empty ones dropped."""
    tokens = (re.sub(r"[^\w]", "", token.lower()) for token in text.split())
    return [token for token in tokens if token]


def ngrams(tokens: list[str], n: int = NGRAM) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


@cache
def seed_ngrams() -> dict[str, set[tuple[str, ...]]]:
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds, f"no seed articles in {SEEDS}"
    return {p.name: ngrams(words(p.read_text(encoding="utf-8"))) for p in seeds}


def rank(level: str) -> int:
    return Urgency.rank(level)


def reputable(publisher: str, url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    for name, domains in REPUTABLE_PUBLISHERS.items():
        if name.lower() in publisher.lower() and any(
            host == d or host.endswith("." + d) for d in domains
        ):
            return True
    return False


def phrase_floor(text: str) -> tuple[str, str] | None:
    """The highest minimum level the brief's key phrases give this red flag text."""
    best: tuple[str, str] | None = None
    for pattern, level, unless in BRIEF_PHRASES:
        matched = re.search(pattern, text, re.I) and not (unless and re.search(unless, text, re.I))
        if matched and (best is None or rank(level) > rank(best[0])):
            best = (level, pattern)
    return best


def _condition(slug: str) -> Condition:
    return Condition.objects.prefetch_related("sources", "red_flags__finding").get(slug=slug)


# --- the brief's core conditions -------------------------------------------------------------


def test_core_slug_list_matches_the_brief() -> None:
    brief = (BASE / "docs/clinical-brief.md").read_text()
    core = brief.split("## Core conditions", 1)[1].split("## Sources", 1)[0]
    in_brief = set(re.findall(r"`([a-z0-9-]+)`", core))
    assert len(CORE_SLUGS) == 40 and set(CORE_SLUGS) == in_brief


@pytest.mark.django_db
@pytest.mark.parametrize("slug", CORE_SLUGS)
def test_core_condition_exists_and_is_published(slug: str) -> None:
    condition = Condition.objects.filter(slug=slug).first()
    assert condition is not None, f"{slug}: missing"
    assert condition.status == Status.PUBLISHED, f"{slug}: not published yet"


# --- each published article ------------------------------------------------------------------


@pytest.mark.django_db
def test_every_published_condition_is_checked_here() -> None:
    in_db = set(Condition.objects.published().values_list("slug", flat=True))
    assert in_db == set(PUBLISHED)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED)
def test_article_is_long_enough_and_plain(slug: str) -> None:
    text = article_text(_condition(slug))
    count = len(text.split())
    assert count >= MIN_WORDS, f"{slug}: only {count} words (need {MIN_WORDS})"
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{slug}: Flesch-Kincaid grade {grade} (max {MAX_GRADE})"


@pytest.mark.django_db
def test_median_reading_grade_of_published_articles() -> None:
    grades = {
        c.slug: textstat.flesch_kincaid_grade(article_text(c))
        for c in Condition.objects.published()
    }
    assert grades, "no published articles"
    median = statistics.median(grades.values())
    assert median <= MAX_MEDIAN_GRADE, f"median grade {median} > {MAX_MEDIAN_GRADE}: {grades}"


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED)
def test_article_copies_no_seed_wording(slug: str) -> None:
    mine = ngrams(words(article_text(_condition(slug))))
    for seed, theirs in seed_ngrams().items():
        shared = mine & theirs
        assert not shared, (
            f"{slug} shares {len(shared)} 8-word runs with {seed}, e.g. "
            + " / ".join(" ".join(g) for g in sorted(shared)[:3])
        )


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED)
def test_article_cites_reputable_sources(slug: str) -> None:
    sources = list(_condition(slug).sources.all())
    assert len(sources) >= 2, f"{slug}: needs at least two sources"
    for source in sources:
        assert source.url.startswith("https://"), f"{slug}: {source.slug} is not https"
        assert reputable(source.publisher, source.url), (
            f"{slug}: {source.slug} ({source.publisher}, {source.url}) is not on the list"
        )


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED)
def test_article_review_dates(slug: str) -> None:
    condition = _condition(slug)
    assert condition.reviewed_on, f"{slug}: reviewed_on missing"
    assert condition.next_review_due, f"{slug}: next_review_due missing"
    gap = condition.next_review_due - condition.reviewed_on
    assert datetime.timedelta(0) < gap <= datetime.timedelta(days=MAX_REVIEW_GAP_DAYS), (
        f"{slug}: next review {condition.next_review_due} must be after "
        f"{condition.reviewed_on} and at most 3 years later"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED)
def test_red_flags_never_below_the_brief(slug: str) -> None:
    flags = list(_condition(slug).red_flags.all())
    assert flags, f"{slug}: an article needs at least one red flag"
    for flag in flags:
        assert flag.urgency in {Urgency.EMERGENCY, Urgency.URGENT, Urgency.SOON}, flag.slug
        if flag.finding is not None:
            # The finding's floor is findings.yaml's level (publishing/tests checks the load).
            code, floor = flag.finding.code, flag.finding.floor_level
            if floor:
                assert rank(flag.urgency) >= rank(floor), (
                    f"{slug}/{flag.slug}: shown as {flag.urgency}, but {code} is {floor}"
                )
        found = phrase_floor(flag.text)
        if found:
            floor, pattern = found
            assert rank(flag.urgency) >= rank(floor), (
                f"{slug}/{flag.slug}: '{flag.text}' is {flag.urgency}, but the brief makes "
                f"it {floor} (matched /{pattern}/)"
            )


# --- the phrase table itself catches what it should ------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Chest pain or sudden breathlessness", "emergency"),
        ("Dark brown or cola-coloured pee with muscle pain", "emergency"),
        ("A leg suddenly goes cold, pale or numb", "emergency"),
        ("Sudden difficulty breathing or swallowing", "emergency"),
        ("Tingling or weakness spreading up from your feet", "emergency"),
        ("You have diabetes and low-sugar signs are not better after sugary food", "emergency"),
        ("One calf is swollen, painful, warm or red", "urgent"),
        ("Speech slowly getting worse", "urgent"),
        ("Your heartbeat feels irregular", "soon"),
        ("A fluttering heartbeat with fainting, or with feeling dizzy", "emergency"),
        ("Pain from your lower back down both legs", "emergency"),
        ("A cramp lasts longer than 10 minutes", "urgent"),
        ("Cramps after being sick or diarrhoea", "urgent"),
        ("Cramps keep coming while you take a water tablet", "soon"),
        ("Swelling in both ankles", None),
        ("The twitching has lasted more than 2 weeks", None),
    ],
)
def test_phrase_table(text: str, level: str | None) -> None:
    found = phrase_floor(text)
    assert (found[0] if found else None) == level

"""`manage.py seed_conditions N`: add N generated conditions, for benchmarks only.

They are published (so the A-Z, search and checker see them), named "Generated ..." with
slugs starting `generated-`, and say in every text field that they are not real. They are
made with bulk_create (no per-object signals or history), so the content version is bumped
once at the end. `--remove` deletes them again. Never run this on a real site's database.
"""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from content import version
from content.models import (
    Condition,
    ConditionSymptom,
    RedFlag,
    Seriousness,
    Status,
)
from content.search import index as search_index
from content.search.models import DocumentKind

PREFIX = "generated-"
NOTICE = "Generated benchmark data: not a real condition. Remove with seed_conditions --remove."
# Everyday words, so that real searches (leg, muscle, cramp, twitch...) also match some.
WORDS = [
    "leg",
    "calf",
    "thigh",
    "foot",
    "muscle",
    "nerve",
    "cramp",
    "twitch",
    "tremor",
    "jerk",
    "spasm",
    "restless",
    "night",
    "morning",
    "chronic",
    "acute",
    "mild",
    "benign",
    "periodic",
    "sleep",
    "ache",
    "tingling",
    "weakness",
]
BODY = (
    f"{NOTICE}\n\nThis paragraph stands in for an article of ordinary length, so that pages "
    "and searches over generated conditions do as much work as over real ones. " * 4
)


def generated() -> Any:
    return Condition.objects.filter(slug__startswith=PREFIX)


def make_condition(number: int, rng: random.Random) -> Condition:
    words = rng.sample(WORDS, 3)
    seriousness = rng.choice(Seriousness.values)
    return Condition(
        slug=f"{PREFIX}{number:05d}",
        name=f"Generated {' '.join(words)} {number:05d}",
        other_names=f"Generated {words[0]}, test condition {number}",
        summary=f"Generated test condition {number}: {NOTICE}"[:250],
        seriousness=seriousness,
        what_it_is=BODY,
        should_i_worry=BODY,
        symptoms=BODY,
        causes=BODY,
        diagnosis=BODY,
        treatment=BODY,
        status=Status.PUBLISHED,
        reviewed_on=timezone.localdate(),
        next_review_due=timezone.localdate().replace(year=timezone.localdate().year + 2),
    )


class Command(BaseCommand):
    help = (
        "Add N generated, published conditions for benchmarks (slugs generated-00001...), "
        "or remove them all with --remove. Test data only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", nargs="?", type=int, default=0)
        parser.add_argument("--remove", action="store_true", help="Delete generated conditions.")

    def handle(self, *args: Any, count: int = 0, remove: bool = False, **options: Any) -> None:
        if remove:
            with transaction.atomic():
                ids = list(generated().values_list("pk", flat=True))
                removed = remove_conditions(ids)
                search_index.remove(DocumentKind.CONDITION, ids)
                version.bump()
            self.stdout.write(f"Removed {removed} generated conditions.")
            return
        if count <= 0:
            raise CommandError("Give a number of conditions to generate, or --remove.")
        rng = random.Random(count)
        existing = generated().count()
        with transaction.atomic():
            made = Condition.objects.bulk_create(
                [make_condition(existing + n + 1, rng) for n in range(count)], batch_size=500
            )
            search_index.refresh_conditions([c.pk for c in made])
            version.bump()
        self.stdout.write(f"Generated {count} conditions ({existing + count} in all).")


def remove_conditions(ids: list[int]) -> int:
    """Delete generated conditions and their rows in bulk, without per-object signals or
    history (they were created without them); the caller bumps the content version once.
    Rows that refer to them are deleted first, as the ORM's cascade would."""
    removed = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        related: list[tuple[type[Model], dict[str, list[int]]]] = [
            (RedFlag, {"condition_id__in": chunk}),
            (ConditionSymptom, {"condition_id__in": chunk}),
            (Condition.sources.through, {"condition_id__in": chunk}),
            (Condition.remedies.through, {"condition_id__in": chunk}),
            (Condition.tests.through, {"condition_id__in": chunk}),
            (Condition.related.through, {"from_condition_id__in": chunk}),
            (Condition.related.through, {"to_condition_id__in": chunk}),
        ]
        for model, lookup in related:
            _raw_delete(model._default_manager.filter(**lookup))
        removed += _raw_delete(Condition.objects.filter(pk__in=chunk))
    return removed


def _raw_delete(queryset: QuerySet[Any]) -> int:
    # One DELETE statement; .delete() would send a signal (a version bump and a history
    # row) for every generated object.
    return int(queryset._raw_delete(queryset.db))

"""sitemap.xml: every published condition and the site's fixed pages (content's and the
checker's start and audit pages)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from content.models import Condition


class ConditionSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet[Condition]:
        return Condition.objects.published()

    def lastmod(self, item: Condition) -> object:
        return item.updated_at


class PageSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "content:home", "content:condition_list", "content:remedies", "content:get_help",
            "content:tests", "triage:start", "triage:audit", "content:about",
            "content:editorial_policy", "content:privacy", "content:disclaimer",
            "content:accessibility",
        ]  # fmt: skip

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"conditions": ConditionSitemap, "pages": PageSitemap}

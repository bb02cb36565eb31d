"""The public content pages; those the same for every reader go through the page cache."""

from django.urls import URLPattern, path
from django.views.generic import TemplateView

from content import views
from content.caching import cache_page_by_version as cached

app_name = "content"


def static_page(name: str, route: str = "") -> URLPattern:
    """/<name>/ (or `route`): templates/pages/<name>.html, the same for every reader."""
    view = TemplateView.as_view(template_name=f"pages/{name}.html")
    return path(route or f"{name}/", cached(view), name=name)


urlpatterns = [
    path("", cached(views.home), name="home"),
    path("conditions/", cached(views.condition_list), name="condition_list"),
    path("conditions/<slug:slug>/", cached(views.condition_detail), name="condition"),
    path("conditions/<slug:slug>/preview/", views.condition_preview, name="condition_preview"),
    path("self-care/", cached(views.remedies), name="remedies"),
    path("when-to-get-help/", cached(views.get_help), name="get_help"),
    path("tests-a-doctor-may-do/", cached(views.tests), name="tests"),
    path("search/", cached(views.search), name="search"),
    *(static_page(name) for name in ("about", "privacy", "disclaimer", "accessibility")),
    static_page("editorial_policy", "about/editorial-policy/"),
]

from django.urls import path

from content import views
from content.caching import cache_page_by_version as cached

app_name = "content"

urlpatterns = [
    path("", cached(views.home), name="home"),
    path("conditions/", cached(views.condition_list), name="condition_list"),
    path("conditions/<slug:slug>/", cached(views.condition_detail), name="condition"),
    path("conditions/<slug:slug>/preview/", views.condition_preview, name="condition_preview"),
    path("self-care/", cached(views.remedies), name="remedies"),
    path("when-to-get-help/", cached(views.get_help), name="get_help"),
    path("tests-a-doctor-may-do/", cached(views.tests), name="tests"),
    path("search/", cached(views.search), name="search"),
    path("about/", cached(views.static_page), {"template": "pages/about.html"}, name="about"),
    path("privacy/", cached(views.static_page), {"template": "pages/privacy.html"}, name="privacy"),
    path(
        "disclaimer/",
        cached(views.static_page),
        {"template": "pages/disclaimer.html"},
        name="disclaimer",
    ),
    path(
        "accessibility/",
        cached(views.static_page),
        {"template": "pages/accessibility.html"},
        name="accessibility",
    ),
]

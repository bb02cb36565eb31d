from django.urls import path

from content import views

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("conditions/", views.condition_list, name="condition_list"),
    path("conditions/<slug:slug>/", views.condition_detail, name="condition"),
    path("conditions/<slug:slug>/preview/", views.condition_preview, name="condition_preview"),
    path("self-care/", views.remedies, name="remedies"),
    path("when-to-get-help/", views.get_help, name="get_help"),
    path("tests-a-doctor-may-do/", views.tests, name="tests"),
    path("search/", views.search, name="search"),
    path("about/", views.static_page, {"template": "pages/about.html"}, name="about"),
    path("privacy/", views.static_page, {"template": "pages/privacy.html"}, name="privacy"),
    path(
        "disclaimer/", views.static_page, {"template": "pages/disclaimer.html"}, name="disclaimer"
    ),
    path(
        "accessibility/",
        views.static_page,
        {"template": "pages/accessibility.html"},
        name="accessibility",
    ),
]

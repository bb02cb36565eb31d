"""The checker's pages under /check/: the start, one numbered page per step, check your
answers, the result and its printable summary, and the audit page."""

from django.urls import path

from content.caching import cache_page_by_version as cached
from triage import audit_views, views

app_name = "triage"

# Fixed pages first: any other slug is a question page (a Step).
urlpatterns = [
    path("", views.start, name="start"),
    path("begin/", views.begin, name="begin"),
    path("answers/", views.answers, name="answers"),
    path("result/", views.result, name="result"),
    path("summary/", views.summary, name="summary"),
    path("restart/", views.restart, name="restart"),
    # Public and the same for everyone (no answers), so cached like the articles.
    path("how-we-test/", cached(audit_views.audit), name="audit"),
    # Question pages are numbered by their place in the person's own walk, never named:
    # the address (in history and access logs) must not tell what anyone answered.
    path("<int:number>/", views.step, name="step"),
    path("<int:number>/change/", views.step, {"change": True}, name="change"),
]

"""Readers' feedback under /feedback/: never cached (the form holds a CSRF token)."""

from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.give, name="give"),
    path("thanks/", views.thanks, name="thanks"),
]

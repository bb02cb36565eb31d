"""The symptom checker wizard (being built: see issue 4)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def start(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/start.html")

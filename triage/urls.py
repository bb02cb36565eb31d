from django.urls import path

from triage import views

app_name = "triage"

# Fixed pages first: any other slug is a question page (a Step).
urlpatterns = [
    path("", views.start, name="start"),
    path("begin/", views.begin, name="begin"),
    path("answers/", views.answers, name="answers"),
    path("result/", views.result, name="result"),
    path("summary/", views.summary, name="summary"),
    path("restart/", views.restart, name="restart"),
    path("<slug:slug>/", views.step, name="step"),
]

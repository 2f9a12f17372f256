"""URLs of a case's deadlines, events and EAD clock, and of the deadline rules; cases/urls.py adds
them to the "cases" namespace. Case pages are named "deadline-*" (the Cases tab of the navigation),
the rules page "rules*" (its own entry)."""

from django.urls import path

from cases import deadline_views as views

urlpatterns = [
    path("cases/<int:pk>/deadlines/<int:deadline_pk>/judge-order/", views.judge_order, name="deadline-judge-order"),
    path("cases/<int:pk>/events/add/", views.event_add, name="deadline-event-add"),
    path("cases/<int:pk>/events/<int:event_pk>/remove/", views.event_remove, name="deadline-event-remove"),
    path("cases/<int:pk>/ead-clock/stop/", views.clock_stop, name="deadline-clock-stop"),
    path("cases/<int:pk>/ead-clock/<int:stop_pk>/resume/", views.clock_resume, name="deadline-clock-resume"),
    path("deadline-rules/", views.rules, name="rules"),
    path("deadline-rules/<int:rule_pk>/lead-times/", views.lead_times, name="rules-lead-times"),
]

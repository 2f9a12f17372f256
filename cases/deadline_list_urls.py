"""URL of the clinic-wide deadline list (supervisors); cases/urls.py adds it to the "cases" namespace."""

from django.urls import path

from cases import deadline_list_views as views

urlpatterns = [
    path("deadlines/", views.deadline_list, name="deadline-list"),
]

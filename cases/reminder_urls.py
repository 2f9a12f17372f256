"""URLs of the failed-reminder page; cases/urls.py adds them to the "cases" namespace."""

from django.urls import path

from cases import reminder_views as views

urlpatterns = [
    path("reminders/failed/", views.reminder_failures, name="reminder-failures"),
    path("reminders/<int:pk>/retry/", views.reminder_retry, name="reminder-retry"),
]

"""URLs of the case's hearing pages and the calendar; cases/urls.py adds them to the "cases" namespace."""

from django.urls import path

from cases import hearing_notice_views
from cases import hearing_views as views

urlpatterns = [
    path("cases/calendar/", views.calendar, name="calendar"),
    path("cases/<int:pk>/hearings/", views.hearing_list, name="hearings"),
    path("cases/<int:pk>/hearings/add/", views.hearing_add, name="hearing-add"),
    path("cases/<int:pk>/hearings/<int:hearing_pk>/edit/", views.hearing_edit, name="hearing-edit"),
    path("cases/<int:pk>/hearings/<int:hearing_pk>/result/", views.hearing_result, name="hearing-result"),
    path("cases/<int:pk>/hearings/<int:hearing_pk>/delete/", views.hearing_delete, name="hearing-delete"),
    path(
        "cases/<int:pk>/hearings/<int:hearing_pk>/notice/",
        hearing_notice_views.hearing_notice,
        name="hearing-notice",
    ),
    path(
        "cases/<int:pk>/hearings/<int:hearing_pk>/notice.pdf",
        hearing_notice_views.hearing_notice,
        {"file_format": "pdf"},
        name="hearing-notice-pdf",
    ),
]

from django.urls import path

from cases import (
    claim_urls,
    deadline_list_urls,
    deadline_urls,
    evidence_urls,
    feed_urls,
    hearing_urls,
    reassign_urls,
    reminder_urls,
    views,
)

app_name = "cases"

urlpatterns = [
    path("cases/my-work/", views.my_work, name="my-work"),
    path("cases/", views.case_list, name="case-list"),
    path("cases/open/<int:client_pk>/", views.case_open, name="case-open"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/team/", views.case_team, name="case-team"),
    path("cases/<int:pk>/relief/<int:relief_pk>/", views.relief_edit, name="relief-edit"),
    path("cases/<int:pk>/relief/add/", views.relief_add, name="relief-add"),
    path("cases/<int:pk>/outcome/", views.case_outcome, name="case-outcome"),
    path("cases/<int:pk>/close/", views.case_close, name="case-close"),
    path("cases/<int:pk>/notes/", views.case_notes, name="notes"),
    path("cases/<int:pk>/deadlines/add/", views.deadline_add, name="deadline-add"),
    path("cases/<int:pk>/deadlines/<int:deadline_pk>/finish/", views.deadline_finish, name="deadline-finish"),
    *claim_urls.urlpatterns,
    *evidence_urls.urlpatterns,
    *hearing_urls.urlpatterns,
    *reminder_urls.urlpatterns,
    *deadline_urls.urlpatterns,
    *deadline_list_urls.urlpatterns,
    *feed_urls.urlpatterns,
    *reassign_urls.urlpatterns,
]

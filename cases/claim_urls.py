"""URLs of the case's claim pages; cases/urls.py adds them to the "cases" namespace."""

from django.urls import path

from cases import claim_views as views

urlpatterns = [
    path("cases/<int:pk>/claim/", views.claim, name="claim"),
    path("cases/<int:pk>/claim/grounds/", views.claim_section, {"section": "grounds"}, name="claim-grounds"),
    path("cases/<int:pk>/claim/elements/", views.claim_section, {"section": "elements"}, name="claim-elements"),
    path("cases/<int:pk>/claim/one-year/", views.claim_section, {"section": "one-year"}, name="claim-one-year"),
    path("cases/<int:pk>/claim/persecutors/", views.claim_persecutors, name="claim-persecutors"),
    path("cases/<int:pk>/claim/bars/", views.claim_bars, name="claim-bars"),
    path("cases/<int:pk>/claim/incidents/new/", views.incident_edit, name="claim-incident-create"),
    path("cases/<int:pk>/claim/incidents/<int:incident_pk>/edit/", views.incident_edit, name="claim-incident-edit"),
    path(
        "cases/<int:pk>/claim/incidents/<int:incident_pk>/delete/", views.incident_delete, name="claim-incident-delete"
    ),
]

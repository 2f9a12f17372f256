"""URLs of the case's evidence pages; cases/urls.py adds them to the "cases" namespace."""

from django.urls import path

from cases import evidence_views as views

urlpatterns = [
    path("cases/<int:pk>/evidence/", views.evidence_list, name="evidence"),
    path("cases/<int:pk>/evidence/upload/", views.evidence_upload, name="evidence-upload"),
    path("cases/<int:pk>/evidence/matrix/", views.evidence_matrix, name="evidence-matrix"),
    path("cases/<int:pk>/evidence/exhibits/", views.exhibit_list, name="exhibits"),
    path("cases/<int:pk>/evidence/exhibits/index.pdf", views.exhibit_index, name="exhibit-index"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/edit/", views.evidence_edit, name="evidence-edit"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/download/", views.evidence_download, name="evidence-download"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/exhibit/", views.exhibit_change, name="exhibit-change"),
]

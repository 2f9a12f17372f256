from django.urls import path

from clients import import_views, slip_views, views

app_name = "clients"

urlpatterns = [
    path("intake/", views.intake_desk, name="intake-desk"),
    path("intake/walk-ins/", views.walk_in_list, name="walk-in-list"),
    path("intake/walk-ins/new/", views.walk_in_create, name="walk-in-create"),
    path("intake/walk-ins/<int:pk>/", views.walk_in_detail, name="walk-in-detail"),
    path("intake/walk-ins/<int:pk>/edit/", views.walk_in_edit, name="walk-in-edit"),
    path("intake/walk-ins/<int:pk>/status/", views.walk_in_status, name="walk-in-status"),
    path("intake/walk-ins/<int:pk>/conflict-check/", views.walk_in_conflict_check, name="walk-in-conflict-check"),
    path("intake/walk-ins/<int:pk>/accept/", views.walk_in_accept, name="walk-in-accept"),
    path("intake/walk-ins/<int:pk>/appointment/", slip_views.walk_in_appointment, name="walk-in-appointment"),
    path("intake/walk-ins/<int:pk>/slip/", slip_views.walk_in_slip, name="walk-in-slip"),
    path("intake/walk-ins/<int:pk>/slip.pdf", slip_views.walk_in_slip, {"file_format": "pdf"}, name="walk-in-slip-pdf"),
    path("conflict-check/", views.conflict_check, name="conflict-check"),
    path("conflict-check/<int:pk>/", views.conflict_check_detail, name="conflict-check-detail"),
    path("conflict-check/<int:pk>/decide/", views.conflict_check_decide, name="conflict-check-decide"),
    path("clients/", views.client_list, name="client-list"),
    path("clients/new/", views.client_create, name="client-create"),
    path("clients/<int:pk>/", views.client_detail, name="client-detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client-edit"),
    path("clients/<int:pk>/move/", views.client_move, name="client-move"),
    path("clients/<int:pk>/aliases/new/", views.alias_create, name="alias-create"),
    path("clients/<int:pk>/aliases/<int:alias_pk>/delete/", views.alias_delete, name="alias-delete"),
    path("clients/<int:pk>/family/new/", views.family_member_edit, name="family-create"),
    path("clients/<int:pk>/family/<int:member_pk>/edit/", views.family_member_edit, name="family-edit"),
    path("clients/<int:pk>/family/<int:member_pk>/delete/", views.family_member_delete, name="family-delete"),
    path("clients/<int:pk>/adverse-parties/new/", views.adverse_party_edit, name="adverse-create"),
    path("clients/<int:pk>/adverse-parties/<int:party_pk>/edit/", views.adverse_party_edit, name="adverse-edit"),
    path("clients/<int:pk>/adverse-parties/<int:party_pk>/delete/", views.adverse_party_delete, name="adverse-delete"),
]

# Importing clients from a spreadsheet (clients.import_views).
urlpatterns += [
    path("clients/import/", import_views.client_import_upload, name="import-upload"),
    path("clients/import/template.csv", import_views.client_import_template, name="import-template"),
    path("clients/import/<int:pk>/", import_views.client_import_detail, name="import-detail"),
    path("clients/import/<int:pk>/progress/", import_views.client_import_progress, name="import-progress"),
    path("clients/import/<int:pk>/run/", import_views.client_import_run, name="import-run"),
    path("clients/import/<int:pk>/discard/", import_views.client_import_discard, name="import-discard"),
    path("clients/import/<int:pk>/problems.csv", import_views.client_import_problems, name="import-problems"),
]

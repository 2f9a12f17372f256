"""URLs of the clinic app (dashboard, staff, settings, activity); the project's own are in urls.py."""

from django.urls import path

from clinic import languages, two_factor_views, views

app_name = "clinic"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/recount/", views.dashboard_recount, name="dashboard-recount"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/new/", views.staff_create, name="staff-create"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff-edit"),
    path("staff/<int:pk>/deactivate/", views.staff_set_active, {"active": False}, name="staff-deactivate"),
    path("staff/<int:pk>/reactivate/", views.staff_set_active, {"active": True}, name="staff-reactivate"),
    path("staff/<int:pk>/invite/", views.staff_invite, name="staff-invite"),
    path("settings/", views.clinic_settings, name="settings"),
    path("activity/", views.activity, name="activity"),
    path("language/", languages.switch_language, name="language"),
    path("account/two-factor/", two_factor_views.overview, name="two-factor"),
    path("account/two-factor/verify/", two_factor_views.verify, name="two-factor-verify"),
    path("account/two-factor/set-up/", two_factor_views.enrol, name="two-factor-enrol"),
    path("account/two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two-factor-codes"),
    path("account/two-factor/recovery-codes/new/", two_factor_views.renew_codes, name="two-factor-renew-codes"),
    path("account/two-factor/remove/", two_factor_views.remove, name="two-factor-remove"),
]

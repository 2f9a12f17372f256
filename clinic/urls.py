from django.contrib import admin
from django.urls import include, path

from clinic import account_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Before Django's own, which they replace: the same names, and the new password audited.
    path("accounts/password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("clinic.clinic_urls")),
    path("", include("clinic.report_urls")),
    path("", include("clinic.notification_urls")),
    path("", include("clients.urls")),
    path("", include("cases.urls")),
]

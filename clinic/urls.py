from django.contrib import admin
from django.urls import include, path

from clinic import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("", include("clinic.clinic_urls")),
    path("", include("clinic.report_urls")),
    path("", include("clinic.notification_urls")),
    path("", include("clients.urls")),
    path("", include("cases.urls")),
]

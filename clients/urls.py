from django.urls import path

from clients import views

app_name = "clients"

urlpatterns = [
    path("", views.intake_desk, name="intake-desk"),
]

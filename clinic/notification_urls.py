"""URLs of the bell; clinic/urls.py includes them under the "notifications" namespace."""

from django.urls import path

from clinic import notification_views as views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("notifications/read-all/", views.notifications_mark_all_read, name="read-all"),
]

"""URLs of the calendar feed; cases/urls.py adds them to the "cases" namespace."""

from django.urls import path, re_path

from cases import feed_views as views

urlpatterns = [
    path("cases/calendar-feed/", views.feed_page, name="feed"),
    path("cases/calendar-feed/new/", views.feed_issue, name="feed-issue"),
    path("cases/calendar-feed/revoke/", views.feed_revoke, name="feed-revoke"),
    # The token is secrets.token_urlsafe(32): 43 characters of [A-Za-z0-9_-]. Anything else is 404.
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{20,64})\.ics$", views.feed_ics, name="feed-ics"),
]

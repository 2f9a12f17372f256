"""What django-axes records of a failed sign-in."""

from django.conf import settings

# The length of the username columns of django-axes' tables.
AXES_USERNAME_LENGTH = 255


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The username typed, cut to what django-axes can store (AXES_USERNAME_CALLABLE). Its own
    lookup passes a longer one through, and the failed sign-in then answered 500 instead of the
    login page's error (django-axes issue 1381): scanners send such usernames."""
    field = settings.AXES_USERNAME_FORM_FIELD
    username = credentials.get(field) if credentials else getattr(request, "data", request.POST).get(field)
    return username[:AXES_USERNAME_LENGTH] if isinstance(username, str) else username

"""The interface language, English or Spanish: each person's own choice, kept on their account so
that it follows them to any computer, and used for their emails and digests too.

Before sign-in (and for a person who never chose) Django's LocaleMiddleware takes the language
cookie, then the browser's Accept-Language.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.utils import translation
from django.views.decorators.http import require_POST

from clinic.models import User
from clinic.redirects import same_site_path

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def language_of(user) -> str:
    """The language to write to `user` in (emails, digests): their choice, or the clinic default."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def language_set(*, user: User, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Not a language of the interface: {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


class UserLanguageMiddleware:
    """After AuthenticationMiddleware: a signed-in person's own choice wins over the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "")
        if language in LANGUAGE_CODES:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@login_not_required
@require_POST
def switch_language(request):
    """The switcher in the navigation (and on the sign-in page): back to the same page."""
    language = request.POST.get("language", "")
    response = HttpResponseRedirect(same_site_path(request.POST.get("next", "")) or "/")
    if language in LANGUAGE_CODES:
        if request.user.is_authenticated:
            language_set(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    return response

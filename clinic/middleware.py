import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Membership
from clinic.notifications import unread_count_subquery

LAST_ACTIVITY_KEY = "last_activity"
# Write the session at most once a minute, not on every request.
ACTIVITY_RESOLUTION_SECONDS = 60


class IdleSessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_SECONDS without a request, and says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                return self._sign_out(request)
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _sign_out(self, request):
        request.logout_reason = "idle timeout"
        logout(request)
        minutes = settings.SESSION_IDLE_SECONDS // 60
        messages.info(
            request,
            _("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
            % {"minutes": minutes},
        )
        if request.headers.get("HX-Request"):
            # htmx would swap the login page into a fragment; send the whole window there instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = resolve_url(settings.LOGIN_URL)
            return response
        return redirect_to_login(request.get_full_path())


def has_two_factor_sql() -> RawSQL:
    """Whether the membership's user has a confirmed authenticator, as SQL text (cheap to compile on
    every request, as clinic.notifications.unread_count_subquery)."""
    device, membership = TOTPDevice._meta.db_table, Membership._meta.db_table
    return RawSQL(  # noqa: S611  (table names from the models, no input)
        f"EXISTS (SELECT 1 FROM {device} WHERE {device}.user_id = {membership}.user_id AND {device}.confirmed)",  # noqa: S608
        [],
        output_field=BooleanField(),
    )


class ClinicMiddleware:
    """Puts the user's membership and clinic on the request and shows times in the clinic's zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        membership = _membership(request.user) if request.user.is_authenticated else None
        if membership is not None:
            request.user.membership = membership
        request.membership = membership
        request.clinic = membership.clinic if membership else None
        if request.clinic is not None:
            timezone.activate(request.clinic.time_zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def _membership(user) -> Membership | None:
    """The user's membership with its clinic, the bell's unread count and whether there is an
    authenticator. clinic.backends.MemberBackend loaded all of it with the user; a user from
    elsewhere (another backend) costs one query."""
    if hasattr(user, "has_two_factor"):
        membership = getattr(user, "membership", None)  # None: no clinic (a platform admin)
        if membership is not None:
            membership.unread_notifications = user.unread_notifications
            membership.has_two_factor = user.has_two_factor
        return membership
    return (
        Membership.objects.select_related("clinic")
        .annotate(unread_notifications=unread_count_subquery(), has_two_factor=has_two_factor_sql())
        .filter(user=user)
        .first()
    )

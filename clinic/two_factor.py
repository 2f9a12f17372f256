"""Two-factor sign-in: who needs it, the writes (enrol, verify, recovery codes, remove) and the
middleware that keeps a signed-in user on the second step until it is done.

A TOTP device (django-otp's otp_totp, an authenticator app) is the second factor; ten single-use
recovery codes (otp_static) stand in for a lost phone. Supervisors and clinic admins must have
it; a clinic can require it of everyone (Clinic.require_two_factor_for_all). Every enrolment,
wrong code, recovery-code use, new set of codes and removal is in the audit log.
"""

from base64 import b32encode
from urllib.parse import urlencode

from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit import audit_record
from clinic.models import AuditEvent, Membership
from clinic.permissions import Role, membership_of

REQUIRED_ROLES = (Role.SUPERVISOR, Role.CLINIC_ADMIN)
RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
STATIC_DEVICE_NAME = "Recovery codes"
# The recovery codes just made, kept in the session until the user says they saved them: they
# are shown on that one page and never again.
NEW_CODES_SESSION_KEY = "two_factor_new_codes"


def two_factor_required(membership: Membership | None) -> bool:
    if membership is None:
        return False
    return membership.role in REQUIRED_ROLES or membership.clinic.require_two_factor_for_all


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps take it when typed in, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def format_recovery_code(token: str) -> str:
    return f"{token[:4]}-{token[4:]}"


def _audit(action: str, *, actor, summary: str, request=None) -> None:
    audit_record(
        action=action, actor=actor, obj=actor, object_label=actor.get_username(), summary=summary, request=request
    )


# Writes. Keyword-only and atomic; a refused code is committed (the throttle and its audit event
# must stay), so the verifying functions answer instead of raising.


@transaction.atomic
def totp_device_pending(*, actor) -> TOTPDevice:
    """The unconfirmed device an enrolment shows and confirms (the same one on every visit)."""
    if confirmed_totp_device(actor) is not None:
        raise ValidationError(_("Two-factor sign-in is already on for your account."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def _throttled(device) -> bool:
    allowed, _details = device.verify_is_allowed()
    return not allowed


THROTTLED_MESSAGE = gettext_lazy("Too many wrong codes in a row. Wait a few seconds, then enter the newest code.")


def two_factor_enrol(*, actor, code: str, request=None) -> tuple[TOTPDevice | None, list[str], str]:
    """Confirms the pending device with a first code and makes the recovery codes.

    Returns (device, recovery codes, "") on success, or (None, [], error message)."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=False).order_by("pk").first()
        if device is None:
            return None, [], _("Start again: open the set-up page to get a new QR code.")
        if _throttled(device):
            error = str(THROTTLED_MESSAGE)
        elif device.verify_token(code):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            # One authenticator per account: any older pending device goes.
            TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
            codes = _new_recovery_codes(actor)
            _audit(
                AuditEvent.Action.TWO_FACTOR_ENROLLED,
                actor=actor,
                summary=f"Turned on two-factor sign-in with {len(codes)} recovery codes",
                request=request,
            )
            return device, codes, ""
        else:
            error = _("That code is not right. Enter the 6-digit code your app shows now.")
        _audit(AuditEvent.Action.TWO_FACTOR_FAILED, actor=actor, summary="Wrong code while enrolling", request=request)
    return None, [], error


def normalise_code(code: str) -> str:
    """Letters and digits only (ASCII: another script's digits are not a code), lower case."""
    return "".join(ch for ch in code if ch.isascii() and ch.isalnum()).lower()


def two_factor_verify(*, actor, code: str, request=None) -> tuple[TOTPDevice | StaticDevice | None, str]:
    """Checks the code of a signed-in user's second step: 6 digits against the authenticator,
    anything else against the recovery codes (each works once). Returns (device, "") or
    (None, error message)."""
    code = normalise_code(code)
    with transaction.atomic():
        if len(code) == 6 and code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
            kind = "authenticator code"
        else:
            device = StaticDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
            kind = "recovery code"
        if device is not None and _throttled(device):
            error = str(THROTTLED_MESSAGE)
        elif device is not None and code and device.verify_token(code):
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                _audit(
                    AuditEvent.Action.RECOVERY_CODE_USED,
                    actor=actor,
                    summary=f"Signed in with a recovery code; {left} left",
                    request=request,
                )
            return device, ""
        else:
            error = _("That code is not right. Enter the 6-digit code from your app, or one of your recovery codes.")
        _audit(AuditEvent.Action.TWO_FACTOR_FAILED, actor=actor, summary=f"Wrong {kind} at sign-in", request=request)
    return None, error


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": STATIC_DEVICE_NAME})
    device.token_set.all().delete()
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=token) for token in tokens])
    return [format_recovery_code(token) for token in tokens]


@transaction.atomic
def recovery_codes_renew(*, actor, request=None) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    if confirmed_totp_device(actor) is None:
        raise ValidationError(_("Turn on two-factor sign-in first."))
    codes = _new_recovery_codes(actor)
    _audit(
        AuditEvent.Action.RECOVERY_CODES_RENEWED,
        actor=actor,
        summary=f"Made {len(codes)} new recovery codes; the old ones no longer work",
        request=request,
    )
    return codes


@transaction.atomic
def two_factor_remove(*, actor, replacing: bool = False, request=None) -> None:
    """Turns two-factor sign-in off, refused when the role or the clinic requires it; or, with
    `replacing`, removes the authenticator so that a new phone can be set up at once (allowed to
    all: the gate then keeps the user on the set-up page until it is done)."""
    if not replacing and two_factor_required(membership_of(actor)):
        raise ValidationError(
            _(
                "Your role or your clinic requires two-factor sign-in, so it cannot be turned off. "
                "To move it to a new phone, choose Set up a new phone."
            )
        )
    had_one = confirmed_totp_device(actor) is not None
    TOTPDevice.objects.filter(user=actor).delete()
    StaticDevice.objects.filter(user=actor).delete()
    if had_one:
        summary = "Removed the authenticator to set up a new phone" if replacing else "Turned off two-factor sign-in"
        _audit(AuditEvent.Action.TWO_FACTOR_REMOVED, actor=actor, summary=summary, request=request)


# The gate.


def two_factor_exempt(view):
    """Marks a view a user may reach before the second step (the two-factor pages themselves)."""
    view.two_factor_exempt = True
    return view


def _exempt(view_func) -> bool:
    if getattr(view_func, "two_factor_exempt", False):
        return True
    # Public pages (sign-in, password reset, health) and signing out.
    return getattr(view_func, "login_required", True) is False or getattr(view_func, "view_class", None) is LogoutView


class TwoFactorMiddleware:
    """Before any other page: a user with an authenticator enters a code; a user who must have one
    and has none sets it up; new recovery codes are acknowledged. Needs OTPMiddleware and
    ClinicMiddleware before it (ClinicMiddleware reads whether the user has a device in the query
    it already makes, so a user without one costs no extra query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or _exempt(view_func):
            return None
        membership = getattr(request, "membership", None)
        if membership is None:
            return None
        if request.session.get(NEW_CODES_SESSION_KEY):
            return self._send(request, reverse("clinic:two-factor-codes"))
        if user.is_verified():
            return None
        if getattr(membership, "has_two_factor", False):
            return self._send(request, reverse("clinic:two-factor-verify"), keep_path=True)
        if two_factor_required(membership):
            return self._send(request, reverse("clinic:two-factor-enrol"), keep_path=True)
        return None

    @staticmethod
    def _send(request, url: str, keep_path: bool = False):
        if keep_path and request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            # htmx would swap the page into a fragment; send the whole window there instead.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

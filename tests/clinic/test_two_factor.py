"""Two-factor sign-in: required for supervisors and clinic admins, optional for the others,
required of everyone where the clinic says so; set up with a real authenticator code, recovery
codes that work once, throttled wrong codes, and every step in the audit log."""

import re
from base64 import b32decode, b32encode
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic import two_factor
from clinic.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from clinic.models import AuditEvent, Clinic, Membership
from tests.factories import TEST_PASSWORD

Role = Membership.Role
Action = AuditEvent.Action
ENROL = reverse("clinic:two-factor-enrol")
VERIFY = reverse("clinic:two-factor-verify")
CODES = reverse("clinic:two-factor-codes")
OVERVIEW = reverse("clinic:two-factor")
REMOVE = reverse("clinic:two-factor-remove")
RENEW = reverse("clinic:two-factor-renew-codes")


def sign_in(client, user):
    """The password step, through the login form."""
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def code_of(device: TOTPDevice) -> str:
    """What the user's authenticator app shows now, computed from the device's key."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone")


def wait_out_throttle(user):
    """As if the user waited: the last wrong code lies an hour back (django-otp's back-off is 1, 2, 4... s)."""
    past = timezone.now() - timedelta(hours=1)
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)
    StaticDevice.objects.filter(user=user).update(throttling_failure_timestamp=past)


def shown_codes(html: str) -> list[str]:
    """The recovery codes listed on the page, one per list item."""
    return re.findall(r"<li[^>]*><span[^>]*>([a-z2-7]{4}-[a-z2-7]{4})</span></li>", html)


def events(user, action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, action=action))


# Who must have it.


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.CLINIC_ADMIN])
def test_a_required_role_without_it_reaches_only_the_set_up_page(client, staff, role):
    sign_in(client, staff[role])
    for path in ["/", "/dashboard/", "/staff/", "/cases/", "/activity/", OVERVIEW, "/accounts/password_change/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(ENROL), path
    # A write is refused the same way, and nothing is written.
    response = client.post(reverse("clinic:settings"), {"name": "Renamed", "time_zone": "America/Chicago"})
    assert response.url == ENROL
    assert not Clinic.objects.filter(name="Renamed").exists()
    # Sign-out and the set-up page itself stay open.
    page = client.get(ENROL)
    assert page.status_code == 200
    assert "Your role or your clinic requires two-factor sign-in" in page.content.decode()
    assert client.post(reverse("logout")).url == reverse("login")


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY])
def test_intake_staff_and_attorneys_go_on_without_it(client, staff, role):
    sign_in(client, staff[role])
    start = client.get(client.get("/").url)
    assert start.status_code == 200
    assert not TOTPDevice.objects.exists()


def test_a_user_of_no_clinic_is_not_gated(client, django_user_model):
    django_user_model.objects.create_user("loner", password=TEST_PASSWORD)
    client.post(reverse("login"), {"username": "loner", "password": TEST_PASSWORD})
    assert client.get("/").status_code == 403  # "not linked to a clinic", as before


# Enrolment.


def test_enrolment_with_a_real_code_then_the_recovery_codes_shown_once(client, supervisor, clinic):
    sign_in(client, supervisor)
    entry = client.get("/dashboard/")
    assert entry.url == f"{ENROL}?next=%2Fdashboard%2F"
    page = client.get(entry.url).content.decode()
    device = TOTPDevice.objects.get(user=supervisor)
    assert not device.confirmed
    # The QR code (an SVG image, no inline style) and the key in text for typing it in.
    assert 'src="data:image/svg+xml' in page
    secret = b32encode(device.bin_key).decode()
    assert " ".join(re.findall("....", secret)) in page
    # The same pending device on a second visit (same QR code).
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=supervisor).count() == 1

    response = client.post(ENROL, {"code": code_of(device), "next": "/dashboard/"})
    assert response.url == CODES
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(CODES).content.decode()
    shown = shown_codes(codes_page)
    assert len(shown) == 10
    stored = set(StaticToken.objects.filter(device__user=supervisor).values_list("token", flat=True))
    assert {code.replace("-", "") for code in shown} == stored
    [enrolled] = events(supervisor, Action.TWO_FACTOR_ENROLLED)
    assert enrolled.clinic == clinic

    # Nothing else until the codes are saved: every page leads back to them.
    assert client.get("/dashboard/").url == CODES
    refused = client.post(CODES, {})
    assert "Tick the box once you have saved the codes." in refused.content.decode()
    done = client.post(CODES, {"saved": "on"})
    assert done.url == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    # Shown once: the page is gone and the overview never lists them.
    assert client.get(CODES).url == OVERVIEW
    overview = client.get(OVERVIEW).content.decode()
    assert "Recovery codes left" in overview
    assert not any(code in overview for code in shown)


def test_a_wrong_code_is_refused_audited_and_throttled(client, supervisor):
    sign_in(client, supervisor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=supervisor)
    right = code_of(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    page = client.post(ENROL, {"code": wrong})
    assert "That code is not right" in page.content.decode()
    # At once the right code is refused too: django-otp makes the next try wait.
    page = client.post(ENROL, {"code": right})
    assert "Too many wrong codes in a row" in page.content.decode()
    assert len(events(supervisor, Action.TWO_FACTOR_FAILED)) == 2
    assert client.get("/dashboard/").url.startswith(ENROL)
    wait_out_throttle(supervisor)
    assert client.post(ENROL, {"code": right}).url == CODES


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567", "١٢٣٤٥٦"])
def test_a_malformed_code_is_a_form_error(client, supervisor, code):
    sign_in(client, supervisor)
    page = client.post(ENROL, {"code": code})
    assert page.status_code == 200
    assert 'class="invalid-feedback"' in page.content.decode()
    assert not TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()


# The second step at each sign-in.


def test_a_user_with_an_authenticator_enters_a_code_after_the_password(client, supervisor):
    device = authenticator(supervisor)
    sign_in(client, supervisor)
    response = client.get("/dashboard/")
    assert response.url == f"{VERIFY}?next=%2Fdashboard%2F"
    page = client.get(response.url)
    assert "Enter your sign-in code" in page.content.decode()
    wrong = client.post(VERIFY, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert "That code is not right" in wrong.content.decode()
    [failed] = events(supervisor, Action.TWO_FACTOR_FAILED)
    assert failed.summary == "Wrong authenticator code at sign-in"
    assert client.get("/dashboard/").url.startswith(VERIFY)

    wait_out_throttle(supervisor)
    code = code_of(device)
    response = client.post(VERIFY, {"code": code[:3] + " " + code[3:], "next": "/dashboard/"})
    assert response.url == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200

    # The same code cannot be used twice (a code seen over a shoulder does not open a second session).
    client.post(reverse("logout"))
    sign_in(client, supervisor)
    replay = client.post(VERIFY, {"code": code})
    assert "That code is not right" in replay.content.decode()


def test_an_optional_user_who_set_it_up_is_asked_too(client, attorney):
    device = authenticator(attorney)
    sign_in(client, attorney)
    assert client.get("/cases/my-work/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_of(device)}).url == "/"
    assert client.get("/cases/my-work/").status_code == 200


def test_the_verify_page_never_redirects_off_site(client, supervisor):
    device = authenticator(supervisor)
    sign_in(client, supervisor)
    response = client.post(VERIFY, {"code": code_of(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_htmx_requests_are_sent_to_the_step_as_a_whole_page(client, supervisor):
    authenticator(supervisor)
    sign_in(client, supervisor)
    response = client.get("/dashboard/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(VERIFY)


def test_a_recovery_code_works_once(client, supervisor):
    authenticator(supervisor)
    codes = two_factor.recovery_codes_renew(actor=supervisor)
    sign_in(client, supervisor)
    response = client.post(VERIFY, {"code": codes[0]}, follow=True)
    assert response.redirect_chain[-1][0] == "/dashboard/"
    assert "You signed in with a recovery code; it no longer works. 9 left." in response.content.decode()
    [used] = events(supervisor, Action.RECOVERY_CODE_USED)
    assert used.summary == "Signed in with a recovery code; 9 left"

    client.post(reverse("logout"))
    sign_in(client, supervisor)
    again = client.post(VERIFY, {"code": codes[0]})
    assert "That code is not right" in again.content.decode()
    assert events(supervisor, Action.TWO_FACTOR_FAILED)[0].summary == "Wrong recovery code at sign-in"
    wait_out_throttle(supervisor)
    # Typed in capitals without the hyphen, the next code still works.
    assert client.post(VERIFY, {"code": codes[1].replace("-", "").upper()}).url == "/"
    assert StaticToken.objects.filter(device__user=supervisor).count() == 8


# The user's own page: renew codes, remove, set up a new phone.


def test_new_recovery_codes_replace_the_old_ones(as_user, supervisor):
    client = as_user(supervisor)
    old = two_factor.recovery_codes_renew(actor=supervisor)
    assert client.post(RENEW).url == CODES
    shown = shown_codes(client.get(CODES).content.decode())
    assert len(shown) == 10
    assert not set(shown) & set(old)
    assert len(events(supervisor, Action.RECOVERY_CODES_RENEWED)) == 2
    client.post(CODES, {"saved": "on"})
    assert client.get("/dashboard/").status_code == 200


def test_an_attorney_turns_it_on_from_the_user_menu_and_off_again(as_user, attorney):
    client = as_user(attorney)
    menu = client.get("/cases/my-work/").content.decode()
    assert f'href="{OVERVIEW}"' in menu
    assert "You sign in with your password only." in client.get(OVERVIEW).content.decode()
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=attorney)
    assert client.post(ENROL, {"code": code_of(device)}).url == CODES
    client.post(CODES, {"saved": "on"})
    overview = client.get(OVERVIEW).content.decode()
    assert "Turn off" in overview

    response = client.post(REMOVE, follow=True)
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=attorney).exists()
    assert not StaticDevice.objects.filter(user=attorney).exists()
    [removed] = events(attorney, Action.TWO_FACTOR_REMOVED)
    assert removed.summary == "Turned off two-factor sign-in"
    assert client.get("/cases/my-work/").status_code == 200


def test_removal_is_refused_when_the_role_requires_it(as_user, supervisor):
    client = as_user(supervisor)
    assert "Turn off" not in client.get(OVERVIEW).content.decode()
    response = client.post(REMOVE, follow=True)
    assert "Your role or your clinic requires two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(user=supervisor, confirmed=True).exists()
    assert not events(supervisor, Action.TWO_FACTOR_REMOVED)


def test_a_required_user_moves_to_a_new_phone_and_must_set_it_up_at_once(as_user, supervisor):
    client = as_user(supervisor)
    old = TOTPDevice.objects.get(user=supervisor)
    assert client.post(REMOVE, {"replace": "1"}).url == ENROL
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get("/dashboard/").url.startswith(ENROL)
    [removed] = events(supervisor, Action.TWO_FACTOR_REMOVED)
    assert removed.summary == "Removed the authenticator to set up a new phone"


def test_pages_need_a_post_and_a_clinic(as_user, supervisor, client, django_user_model):
    signed_in = as_user(supervisor)
    assert signed_in.get(REMOVE).status_code == 405
    assert signed_in.get(RENEW).status_code == 405
    loner = django_user_model.objects.create_user("loner", password=TEST_PASSWORD)
    client.force_login(loner)
    assert client.get(OVERVIEW).status_code == 403


# The clinic's setting.


def test_a_clinic_can_require_it_of_everyone(as_user, client, clinic_admin, attorney, clinic, other_clinic, outsiders):
    admin = as_user(clinic_admin)
    form = admin.get(reverse("clinic:settings")).content.decode()
    assert "Require two-factor sign-in for everyone" in form
    response = admin.post(
        reverse("clinic:settings"),
        {"name": clinic.name, "time_zone": "America/Denver", "require_two_factor_for_all": "on"},
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    other_clinic.refresh_from_db()
    assert clinic.require_two_factor_for_all
    assert not other_clinic.require_two_factor_for_all
    change = AuditEvent.objects.get(action=Action.UPDATE, object_type="clinic.clinic")
    assert change.changes == {"require_two_factor_for_all": ["False", "True"]}

    # The clinic's attorney must now set it up and cannot turn it off; the other clinic's need not.
    sign_in(client, attorney)
    assert client.get("/cases/my-work/").url.startswith(ENROL)
    outsider = outsiders[Role.ATTORNEY]
    client.post(reverse("logout"))
    sign_in(client, outsider)
    assert client.get("/cases/my-work/").status_code == 200


def test_removal_is_refused_when_the_clinic_requires_it(as_user, attorney, clinic):
    clinic.require_two_factor_for_all = True
    clinic.save(update_fields=["require_two_factor_for_all"])
    client = as_user(attorney)  # set up, as the clinic requires
    response = client.post(REMOVE, follow=True)
    assert "Your role or your clinic requires two-factor sign-in" in response.content.decode()
    assert "Your clinic requires two-factor sign-in for everyone" in client.get(OVERVIEW).content.decode()
    assert TOTPDevice.objects.filter(user=attorney).exists()


def test_the_audit_events_name_the_user_and_their_clinic_only(client, supervisor, clinic, outsiders, other_clinic):
    sign_in(client, supervisor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=supervisor)
    client.post(ENROL, {"code": code_of(device)})
    written = AuditEvent.objects.filter(action__startswith="2fa_")
    assert {(event.action, event.clinic, event.actor) for event in written} == {
        (Action.TWO_FACTOR_ENROLLED, clinic, supervisor)
    }
    assert not AuditEvent.objects.filter(clinic=other_clinic).exists()
    # The supervisor reads them in the activity log under their plain names.
    client.post(CODES, {"saved": "on"})
    assert "Turned on two-factor sign-in" in client.get(reverse("clinic:activity")).content.decode()


# The demo.


def test_the_demo_supervisor_and_admin_sign_in_with_the_published_key(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent: still one authenticator each, with the demo key
    devices = TOTPDevice.objects.filter(confirmed=True)
    assert sorted(devices.values_list("user__username", flat=True)) == ["clinicadmin", "supervisor"]
    assert {device.key for device in devices} == {b32decode(DEMO_TOTP_SECRET).hex()}
    code = StringIO()
    call_command("demo_code", stdout=code, stderr=StringIO())
    client.post(reverse("login"), {"username": "supervisor", "password": DEMO_PASSWORD})
    assert client.get("/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": code.getvalue().strip()}).url == "/"
    assert client.get("/dashboard/").status_code == 200


def test_demo_code_is_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code")

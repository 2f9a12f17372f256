"""Sign-in, sign-out, throttling, idle expiry, password change and reset."""

import re
import time

import pytest
from django.core import mail
from django.urls import reverse

from clinic.middleware import LAST_ACTIVITY_KEY
from clinic.models import AuditEvent, Membership
from tests.conftest import pass_second_factor
from tests.factories import TEST_PASSWORD

Role = Membership.Role
START_PAGES = {
    Role.INTAKE: "/intake/",
    Role.ATTORNEY: "/cases/my-work/",
    Role.SUPERVISOR: "/dashboard/",
    Role.CLINIC_ADMIN: "/staff/",
}


def sign_in(client, username, password=TEST_PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_the_login_page_is_public(client, db):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert b"Sign in to Amparo" in page.content


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/staff/"


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_start_page(client, staff, role):
    response = sign_in(client, staff[role].username)
    assert response.status_code == 302
    pass_second_factor(client, staff[role])  # supervisors and clinic admins (tests/clinic/test_two_factor.py)
    start = client.get(response.url)
    assert start.status_code == 302
    assert start.url == START_PAGES[role]
    assert client.get(start.url).status_code == 200


def test_sign_in_is_audited(client, attorney, clinic):
    sign_in(client, attorney.username)
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert (event.actor, event.clinic) == (attorney, clinic)


def test_a_wrong_password_says_so_plainly(client, attorney):
    page = sign_in(client, attorney.username, "not-the-password")
    assert page.status_code == 200
    assert b"Please enter a correct username and password" in page.content
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.object_label == attorney.username
    assert failed.actor is None


def test_repeated_failures_lock_the_account_with_a_clear_page(client, attorney, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, attorney.username, "wrong").status_code == 200
    locked = sign_in(client, attorney.username, "wrong")
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    assert b"Try again in 15 minutes" in locked.content
    # Even the right password is refused while the lock lasts.
    again = sign_in(client, attorney.username)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_of_one_user_does_not_lock_another(client, attorney, supervisor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, attorney.username, "wrong")
    assert sign_in(client, supervisor.username).status_code == 302


def test_a_deactivated_account_cannot_sign_in(client, attorney):
    attorney.is_active = False
    attorney.save(update_fields=["is_active"])
    page = sign_in(client, attorney.username)
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post_and_is_audited(as_user, attorney):
    client = as_user(attorney)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, actor=attorney).exists()
    assert client.get("/cases/my-work/").status_code == 302


def last_active(client, seconds_ago: int):
    """Makes the client's session look as if its last request was `seconds_ago`."""
    client.get("/cases/my-work/")
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - seconds_ago
    session.save()
    return client


def test_an_idle_session_expires_with_a_message(as_user, attorney, settings):
    client = last_active(as_user(attorney), settings.SESSION_IDLE_SECONDS + 5)
    response = client.get("/cases/my-work/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/login/?next=/cases/my-work/", 302)
    assert b"You were signed out after 30 minutes without activity" in response.content
    event = AuditEvent.objects.get(action=AuditEvent.Action.LOGOUT, actor=attorney)
    assert event.summary == "idle timeout"


def test_an_active_session_stays(as_user, attorney, settings):
    client = last_active(as_user(attorney), settings.SESSION_IDLE_SECONDS - 60)
    assert client.get("/cases/my-work/").status_code == 200


def test_an_idle_htmx_request_redirects_the_whole_window(as_user, attorney, settings):
    client = last_active(as_user(attorney), settings.SESSION_IDLE_SECONDS + 5)
    response = client.get("/cases/my-work/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("login")


def test_password_change(as_user, attorney):
    client = as_user(attorney)
    new_password = "a-new-long-passphrase"
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    attorney.refresh_from_db()
    assert attorney.check_password(new_password)


def test_password_change_rejects_a_weak_password(as_user, attorney):
    client = as_user(attorney)
    page = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "password", "new_password2": "password"},
    )
    assert page.status_code == 200
    assert b"This password is too short" in page.content


def test_password_reset_by_email(client, attorney):
    response = client.post(reverse("password_reset"), {"email": attorney.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [attorney.email]
    assert attorney.username in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert b"Choose your password" in form_page.content
    new_password = "another-long-passphrase"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    # The new password is on the record, by its owner, without the password itself.
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE, actor=attorney)
    assert event.summary == "Password chosen through an emailed link"
    assert new_password not in str(event.changes)
    assert sign_in(client, attorney.username, new_password).status_code == 302


def test_password_reset_for_an_unknown_address_reveals_nothing(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert b"If an account uses that address" in response.content
    assert mail.outbox == []


def test_a_very_long_username_is_a_wrong_sign_in_not_a_500(client, attorney, settings):
    """Found by tests/property: django-axes stored the username as typed in a 255-character column,
    so a longer one (scanners send them) answered 500 (clinic/login_throttle.py)."""
    long_name = attorney.username + "x" * 300
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = sign_in(client, long_name)
        assert page.status_code == 200
        assert b"Please enter a correct username and password" in page.content
    assert sign_in(client, long_name).status_code == 429  # still counted, so still locked out


def test_a_password_change_is_audited(as_user, attorney):
    new_password = "a-new-long-passphrase"
    as_user(attorney).post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE, actor=attorney)
    assert (event.summary, event.object_label) == ("Password changed", attorney.username)

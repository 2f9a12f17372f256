"""Two-factor sign-in through the real pages: a new supervisor is sent to the set-up page, scans
(here: reads) the key, confirms with the app's code, saves the recovery codes, and at the next
sign-in is asked for a code."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from clinic.models import Membership
from tests.browser.conftest import screenshot, sign_in, totp_code
from tests.factories import TEST_PASSWORD, ClinicFactory, staff_member


@pytest.fixture
def supervisor(transactional_db):
    clinic = ClinicFactory(name="Las Americas (browser)", slug="las-americas-browser")
    return staff_member(
        clinic, Membership.Role.SUPERVISOR, username="sup-browser", first_name="Elena", last_name="Ruiz"
    )


def app_code(secret: str) -> str:
    """What an authenticator app shows for the key typed in from the page."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_a_supervisor_sets_up_two_factor_sign_in_and_uses_it(new_page, supervisor, live_server):
    page = new_page()
    sign_in(page, supervisor.username, TEST_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/account/two-factor/set-up/?next=%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    qr = page.get_by_role("img", name="QR code holding your secret key for the authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 100  # the SVG drew
    # Only Sign out in the bar: nothing else is reachable yet.
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    screenshot(page, "two-factor-enrol")

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("6-digit code from the app").fill("000000" if app_code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    page.get_by_label("6-digit code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(10)
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Tick the box once you have saved the codes.")).to_be_visible()
    page.get_by_label("I have saved these recovery codes somewhere safe").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(page.get_by_text("Two-factor sign-in is on.")).to_be_visible()

    # The user menu leads to the status page.
    page.get_by_role("button", name="Elena Ruiz").click()
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_text("Recovery codes left")).to_be_visible()
    screenshot(page, "two-factor-overview")
    assert page.console_errors == []

    # Next time: password, then the code.
    again = new_page()
    again.goto("/")
    again.get_by_label("Username").fill(supervisor.username)
    again.get_by_label("Password").fill(TEST_PASSWORD)
    again.get_by_role("button", name="Sign in").click()
    expect(again.get_by_role("heading", level=1)).to_have_text("Enter your sign-in code")
    screenshot(again, "two-factor-verify")
    again.get_by_label("Code").fill(totp_code(supervisor.username))
    again.get_by_role("button", name="Verify").click()
    expect(again).to_have_url(f"{live_server.url}/dashboard/")
    assert again.console_errors == []

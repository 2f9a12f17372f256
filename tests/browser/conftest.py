"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)
against pytest-django's live server on loopback. Screenshots go to var/screenshots/."""

import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import sync_playwright

from cases import services
from cases.models import Case, Court
from clients.models import Client
from clinic.demo import seed_demo

CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium keeps calling home, and this machine's closed network
# refuses every call.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    # Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
    # to set up data are still plain synchronous calls. Only for browser tests.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser(live_server):
    """Chromium for one test. Not shared across tests: Playwright's event loop must stop before
    the test database is flushed and before tests that are not browser tests run."""
    if not CHROMIUM.exists():
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, Django keeps this thread's database connections in the
        # loop's context; close them here or they outlive the test and block dropping the test DB.
        connections.close_all()


@pytest.fixture
def new_page(browser, live_server, django_db_serialized_rollback):
    """new_page() -> a page in a fresh browser context (its own cookies), recording console errors.

    Browser tests run on a database emptied between tests; serialized rollback puts back what the
    migrations wrote (the immigration courts, for one)."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username: str, password: str) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/account/two-factor/verify/" in page.url:
        # The demo supervisor and clinic admin have an authenticator (clinic/demo.py): type its code.
        page.get_by_label("Code").fill(totp_code(username))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_load_state()


def totp_code(username: str) -> str:
    """The code the user's authenticator app would show now. A code is accepted once, so a second
    sign-in within the same 30 seconds takes the next step's (the device accepts one either side)."""
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


@pytest.fixture
def case(transactional_db):
    """The browser tests' default case (a module may define its own): a defensive case of the
    demo clinic (El Paso) before the Dallas court, led by `attorney`."""
    seed_demo()
    attorney = get_user_model().objects.get(username="attorney")
    client = Client.objects.filter(clinic__slug="las-americas-demo").order_by("pk").first()
    return services.case_open(
        actor=attorney,
        client=client,
        data={"process": Case.Process.DEFENSIVE, "court": Court.objects.get(code="DAL")},
        lead_attorney=attorney,
    )

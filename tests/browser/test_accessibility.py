"""Accessibility (issue 8): each role's main pages, filled from the demo data, pass axe-core's
WCAG 2.1 A and AA rules with no serious or critical violation; the walk-in form works with the
keyboard alone and shows where the focus is.

axe-core comes from the npm registry, pinned in package.json and package-lock.json (`npm ci`;
`make test` runs it). It is injected into each page as a script file, which the app's
Content-Security-Policy would refuse: these tests alone open their browser context with
bypass_csp, so the pages are checked exactly as served otherwise.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases.models import Case, Deadline, Reminder
from clients.models import Client, WalkIn
from clinic.demo import DEMO_PASSWORD, seed_demo
from clinic.models import Membership
from tests.browser.conftest import sign_in
from tests.factories import TEST_PASSWORD, ClinicFactory, staff_member

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
DEMO_CLINIC = "las-americas-demo"


@pytest.fixture
def demo(transactional_db):
    seed_demo()
    # A reminder that failed for good, so the supervisor's page of them has a row.
    deadline = Deadline.objects.filter(case__clinic__slug=DEMO_CLINIC, status=Deadline.Status.OPEN).first()
    Reminder.objects.create(
        deadline=deadline,
        due_on=deadline.due_on,
        lead_days=7,
        remind_on=timezone.localdate() - timedelta(days=1),
        recipient=get_user_model().objects.get(username="attorney"),
        status=Reminder.Status.FAILED,
        attempts=7,
        queued_at=timezone.now() - timedelta(days=1),
        last_error="SMTPServerDisconnected",
    )


@pytest.fixture
def axe_page(browser, live_server, django_db_serialized_rollback):
    """axe_page() -> a page in a fresh context that lets the injected axe-core script run."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `npm ci` in the repository root (make test does).")
    contexts = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": 1280, "height": 800},
            locale="en-US",
            # Bootstrap then draws focus rings without a transition: what is read is what is shown.
            reduced_motion="reduce",
            bypass_csp=True,
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


class Audit:
    """Runs axe on each page visited and keeps the serious and critical violations by page."""

    def __init__(self, page):
        self.page = page
        self.found: dict[str, list[dict]] = {}

    def visit(self, name: str, url: str | None = None) -> None:
        if url is not None:
            response = self.page.goto(url)
            assert response.ok, f"{name}: {url} answered {response.status}"
        self.check(name)

    def check(self, name: str) -> None:
        self.page.wait_for_load_state()
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate(
            """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
            WCAG_21_AA,
        )
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
        if blocking:
            self.found[f"{name} ({self.page.url})"] = blocking

    def assert_clean(self) -> None:
        if self.found:
            pytest.fail(
                "axe-core found serious or critical WCAG 2.1 AA violations:\n" + report(self.found), pytrace=False
            )


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for page, violations in found.items():
        lines.append(f"- {page}")
        for violation in violations:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
            more = len(violation["nodes"]) - len(targets)
            lines.append(f"    {violation['id']} [{violation['impact']}] {violation['help']}")
            lines.append(f"      at {', '.join(targets)}" + (f" and {more} more" if more > 0 else ""))
    return "\n".join(lines)


def demo_case() -> Case:
    """The showcase case: claim, evidence, hearings and deadlines all filled."""
    return Case.objects.get(clinic__slug=DEMO_CLINIC, client__paternal_surname="Castañeda")


@pytest.fixture
def gatekeepers(transactional_db):
    """A supervisor with an authenticator (asked for a code) and a clinic admin without one (sent
    to set one up): the pages between the password and the app. Cheaper than the demo data."""
    clinic = ClinicFactory(name="Las Americas (sign-in)", slug="las-americas-sign-in", time_zone="America/Denver")
    supervisor = staff_member(clinic, Membership.Role.SUPERVISOR, username="sup-a11y")
    TOTPDevice.objects.create(user=supervisor, name="Phone", confirmed=True)
    return supervisor, staff_member(clinic, Membership.Role.CLINIC_ADMIN, username="admin-a11y")


def password_step(page, username: str, password: str = TEST_PASSWORD) -> None:
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state()


def test_the_sign_in_pages_pass_axe(axe_page, gatekeepers):
    supervisor, clinic_admin = gatekeepers
    page = axe_page()
    audit = Audit(page)
    audit.visit("sign-in", "/accounts/login/")
    password_step(page, supervisor.username, "not the password")
    expect(page.locator(".alert-danger, .invalid-feedback, .errorlist").first).to_be_visible()
    audit.check("sign-in with an error")
    password_step(page, supervisor.username)
    expect(page).to_have_url(re.compile("/account/two-factor/verify/"))
    audit.check("two-factor code")

    page = audit.page = axe_page()
    page.goto("/accounts/login/")
    password_step(page, clinic_admin.username)
    expect(page).to_have_url(re.compile("/account/two-factor/set-up/"))
    audit.check("two-factor set-up")

    # In Spanish, chosen with the switcher on the sign-in page.
    page = audit.page = axe_page()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    audit.check("sign-in in Spanish")
    password_step(page, supervisor.username)
    expect(page).to_have_url(re.compile("/account/two-factor/verify/"))
    audit.check("two-factor code in Spanish")
    audit.assert_clean()


def test_the_intake_pages_pass_axe(axe_page, demo):
    page = axe_page()
    sign_in(page, "intake", DEMO_PASSWORD)
    audit = Audit(page)
    audit.visit("intake desk", "/intake/")
    audit.visit("walk-ins of the week", "/intake/walk-ins/")

    page.goto("/intake/walk-ins/new/")
    page.get_by_label("Date of last arrival in the US").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Add to the queue").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit.check("walk-in form with errors")

    walk_in = WalkIn.objects.filter(clinic__slug=DEMO_CLINIC, status=WalkIn.Status.WAITING).first()
    page.goto(f"/intake/walk-ins/{walk_in.pk}/")
    page.get_by_role("button", name=re.compile("Run the conflict check|Run again")).click()
    page.wait_for_load_state()
    audit.check("a walk-in with its conflict check")

    client = Client.objects.get(clinic__slug=DEMO_CLINIC, paternal_surname="Castañeda")
    audit.visit("clients", "/clients/")
    audit.visit("a client", f"/clients/{client.pk}/")
    audit.visit("conflict check", "/conflict-check/")
    page.get_by_label("Given names").fill("Javier")
    page.get_by_label("Paternal surname").fill("Castaneda")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/conflict-check/\d+/$"))
    audit.check("conflict check results")
    audit.visit("a case's overview (intake)", f"/cases/{demo_case().pk}/")

    # In Spanish, chosen with the switcher in the navigation.
    page.get_by_role("button", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    audit.check("a case's overview in Spanish")
    audit.visit("intake desk in Spanish", "/intake/")
    page.goto("/intake/walk-ins/new/")
    page.locator("#id_last_arrival_date").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    page.locator("main form [type=submit]").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    audit.check("walk-in form with errors in Spanish")
    audit.assert_clean()


def test_the_attorney_pages_pass_axe(axe_page, demo):
    page = axe_page()
    sign_in(page, "attorney", DEMO_PASSWORD)
    case = demo_case()
    audit = Audit(page)
    audit.check("my work")
    audit.visit("cases", "/cases/")
    audit.visit("a case's overview and deadlines", f"/cases/{case.pk}/")
    audit.visit("claim", f"/cases/{case.pk}/claim/")
    audit.visit("evidence", f"/cases/{case.pk}/evidence/")
    audit.visit("evidence matrix", f"/cases/{case.pk}/evidence/matrix/")
    audit.visit("hearings", f"/cases/{case.pk}/hearings/")
    audit.visit("notes", f"/cases/{case.pk}/notes/")
    audit.visit("hearing calendar", "/cases/calendar/")
    audit.assert_clean()


def test_the_supervisor_pages_pass_axe(axe_page, demo):
    page = axe_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    audit = Audit(page)
    audit.check("dashboard")
    audit.visit("activity log", "/activity/")
    audit.visit("closing report", "/reports/closing/")
    audit.visit("failed reminders", "/reminders/failed/")
    audit.visit("the clinic's deadlines", "/deadlines/")
    audit.assert_clean()


def test_the_clinic_admin_pages_pass_axe(axe_page, demo):
    page = axe_page()
    sign_in(page, "clinicadmin", DEMO_PASSWORD)
    audit = Audit(page)
    audit.check("staff")
    audit.visit("clinic settings", "/settings/")
    audit.assert_clean()


@pytest.fixture
def intake_person(transactional_db):
    clinic = ClinicFactory(name="Las Americas (keyboard)", slug="las-americas-keyboard", time_zone="America/Denver")
    return staff_member(clinic, Membership.Role.INTAKE, username="intake-keyboard")


def focused(page) -> dict:
    """What has the focus, and whether something shows it (an outline or a focus ring)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return {
                name: el.name || '', tag: el.tagName.toLowerCase(), type: el.type || '',
                text: (el.innerText || '').trim(),
                shown: outline || style.boxShadow !== 'none',
            };
        }"""
    )


def test_a_walk_in_is_logged_with_the_keyboard_alone(axe_page, intake_person):
    page = axe_page()
    sign_in(page, intake_person.username, TEST_PASSWORD)
    page.goto("/intake/walk-ins/new/")
    fields = page.eval_on_selector_all(
        "main form input:not([type=hidden]), main form select, main form textarea", "els => els.map(el => el.name)"
    )
    arrival = timezone.localdate() - timedelta(days=200)
    # What to type where; every other field is passed over with Tab.
    typing = {
        "paternal_surname": "Ramírez",
        "phone": "915 555 0199",
        "country_of_nationality": "Honduras",
        "last_arrival_date": arrival.strftime("%m%d%Y"),
    }
    # The first field has the focus when the page opens.
    expect(page.get_by_label("First name(s)")).to_be_focused()
    page.keyboard.type("Lucía")
    reached, unshown = [], []
    for _ in range(80):
        now = focused(page)
        if not now["shown"]:
            unshown.append(now["name"] or now["text"])
        if now["tag"] == "button" and now["type"] == "submit":
            break
        if now["name"] and (not reached or reached[-1] != now["name"]):
            reached.append(now["name"])
            if now["name"] in typing:
                page.keyboard.type(typing[now["name"]])
            elif now["name"] == "detained":
                page.keyboard.press("Space")
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"Tab never reached the submit button; it went through {reached}")
    assert now["text"] == "Add to the queue"
    assert reached == fields, "Tab skipped a field or went out of order"
    assert not unshown, f"No visible focus indicator on {unshown}"

    page.keyboard.press("Enter")
    expect(page.get_by_text("Lucía Ramírez was added to the queue.")).to_be_visible()
    walk_in = WalkIn.objects.get(given_names="Lucía", paternal_surname="Ramírez")
    assert (walk_in.phone, walk_in.country_of_nationality.code) == ("+19155550199", "HN")
    assert (walk_in.last_arrival_date, walk_in.detained) == (arrival, True)

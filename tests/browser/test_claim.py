"""The claim tab in a real browser: an attorney records a particular social group, two harm
incidents the police did nothing about, the persecutors and the government's failure to protect,
then reads the claim summary."""

from datetime import date

import pytest
from playwright.sync_api import expect

from cases import services as case_services
from cases.models import Case
from clients import services as client_services
from clinic.models import Membership
from tests.browser.conftest import screenshot, sign_in
from tests.factories import TEST_PASSWORD, ClinicFactory, staff_member

PSG = "former municipal police officers of Ciudad Juárez who arrested cartel members"


@pytest.fixture
def case(transactional_db):
    clinic = ClinicFactory(name="Las Americas (browser)", slug="las-americas-browser", time_zone="America/Denver")
    attorney = staff_member(clinic, Membership.Role.ATTORNEY, username="ana", first_name="Ana", last_name="Ruiz")
    principal = client_services.client_create(
        actor=attorney,
        data={
            "given_names": "Javier Armando",
            "paternal_surname": "Castañeda",
            "maternal_surname": "Ruelas",
            "last_entry_date": date(2025, 12, 9),
        },
    )
    for data in (
        {"name": "Raúl Quintero Alanís", "role": "police", "organization": "Municipal police, Ciudad Juárez"},
        {"name": "Sergio Villa Mendoza", "role": "cartel", "organization": "Cartel cell in Ciudad Juárez"},
    ):
        client_services.adverse_party_save(actor=attorney, client=principal, data=data)
    return case_services.case_open(
        actor=attorney, client=principal, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )


def add_incident(page, *, day: str, place: str, what: str, police: str) -> None:
    page.get_by_role("link", name="Add an incident").click()
    page.get_by_label("Date", exact=True).fill(day)
    page.get_by_label("Place").fill(place)
    page.get_by_label("What happened").fill(what)
    page.get_by_label("By whom").fill("Armed men in two trucks")
    page.get_by_label("Sergio Villa Mendoza (Cartel member, Cartel cell in Ciudad Juárez)").check()
    page.get_by_label("Reported to the police", exact=True).check()
    page.get_by_label("The police took no action").check()
    page.get_by_label("What the police did, or why it was not reported").fill(police)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The incident was saved.")).to_be_visible()


def test_an_attorney_records_the_claim_and_reads_its_summary(new_page, case):
    page = new_page()
    sign_in(page, "ana", TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/claim/")
    expect(page.locator("#claim-warnings")).to_contain_text("No protected ground is chosen yet.")
    screenshot(page, "claim-empty")

    page.locator("#grounds").get_by_role("link", name="Edit").click()
    psg = page.locator("#psg-fields")
    expect(psg).to_be_hidden()
    page.get_by_label("Membership in a particular social group").check()
    expect(psg).to_be_visible()
    page.get_by_label("The group, in its exact wording").fill(PSG)
    page.get_by_label("Immutability").fill("He cannot undo having been an officer who made those arrests.")
    page.get_by_label("Particularity").fill("A closed group: the officers on the roster of the arresting unit.")
    page.get_by_label("Social distinction").fill("Cartels and the public in Juárez single out these officers.")
    screenshot(page, "claim-grounds-form")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The claim was saved.")).to_be_visible()

    page.locator("#persecutors").get_by_role("link", name="Edit").click()
    page.get_by_label("Both").check()
    page.get_by_label("Raúl Quintero Alanís (Police officer, Municipal police, Ciudad Juárez)").check()
    page.get_by_label("Sergio Villa Mendoza (Cartel member, Cartel cell in Ciudad Juárez)").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#claim-warnings")).to_contain_text(
        "nothing says why the government cannot or will not protect"
    )

    add_incident(
        page,
        day="2025-06-14",
        place="Ciudad Juárez, Chihuahua",
        what="Shot at on patrol the day after arresting three cartel members.",
        police="His commander sent him back to work without ammunition.",
    )
    page.get_by_role("link", name="Add an incident").scroll_into_view_if_needed()
    page.get_by_role("link", name="Add an incident").click()
    page.get_by_label("Date", exact=True).fill("2025-05-02")
    page.get_by_label("The date is approximate").check()
    page.get_by_label("What happened").fill("Threatened by phone: 'we know where your children sleep'.")
    page.get_by_label("Reported to the police", exact=True).check()
    page.get_by_label("The police took no action").check()
    page.get_by_label("What the police did, or why it was not reported").fill("No report number; nobody called back.")
    screenshot(page, "claim-incident-form")
    page.get_by_role("button", name="Save").click()

    page.locator("#elements").get_by_role("link", name="Edit").click()
    page.get_by_label("The government is unable or unwilling to protect").fill(
        "The police knew of both attacks and did nothing; his own commander disarmed him."
    )
    page.get_by_role("button", name="Save").click()

    summary = page.locator("#summary")
    expect(summary.locator("[data-summary=incidents]")).to_have_text("2")
    expect(summary.locator("[data-summary=police]")).to_have_text("2 reported to the police · 2 with no police action")
    expect(summary).to_contain_text(PSG)
    expect(summary).to_contain_text("Membership in a particular social group")
    warnings = page.locator("#claim-warnings")
    expect(warnings).not_to_contain_text("protect")
    expect(warnings).not_to_contain_text("social group")
    expect(warnings).to_contain_text("Not written yet: fear of future harm; nexus; internal relocation.")
    dates = page.locator("#incidents li .fw-semibold").all_inner_texts()
    assert dates[:2] == ["2 May 2025", "14 Jun 2025"]
    screenshot(page, "claim-summary")
    assert page.console_errors == []

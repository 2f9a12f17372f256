"""The client printouts in a real browser: intake staff book a walk-in's return appointment and
print the slip, in Spanish and in English, as a page and as a PDF; an attorney prints the notice of a
hearing from the case's Hearings tab. The Print button works under the CSP (no console error), and
on paper only the sheet is printed."""

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Court
from clients import services as client_services
from clinic.demo import DEMO_PASSWORD
from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in
from tests.cases.hearing_data import schedule
from tests.printouts import SPANISH_MONTHS, pdf_text


def test_intake_staff_book_an_appointment_and_print_the_slip(new_page, case):
    intake = get_user_model().objects.get(username="intake")
    walk_in = client_services.walk_in_log(
        actor=intake,
        data={"given_names": "Rosa Elena", "paternal_surname": "Martínez", "maternal_surname": "Soto",
              "reason_details": "Extortion by a gang in San Pedro Sula-PRIVATE"},
    )  # fmt: skip
    day = timezone.localdate() + timedelta(days=10)
    day += timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)  # the clinic is open on weekdays
    page = new_page()
    sign_in(page, "intake", DEMO_PASSWORD)
    page.goto(f"/intake/walk-ins/{walk_in.pk}/")
    page.get_by_label("Date and time").fill(f"{day.isoformat()}T10:30")
    page.get_by_label("With (optional)").fill("Lic. Marisol Ortega")
    page.get_by_role("button", name="Save the appointment").click()
    expect(page.get_by_text("The appointment was saved.")).to_be_visible()
    screenshot(page, "printout_walk_in_page")

    page.get_by_role("link", name="Print the appointment slip").click()
    sheet = page.locator("main")
    expect(sheet).to_have_attribute("lang", "es")
    expect(sheet.get_by_role("heading", name="Su cita")).to_be_visible()
    expect(sheet).to_contain_text(f"{day.day} de {SPANISH_MONTHS[day.month - 1]} de {day.year}")
    expect(sheet).not_to_contain_text("PRIVATE")
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # the script ran under the CSP
    screenshot(page, "printout_slip_es")

    page.get_by_role("link", name="English").click()
    expect(sheet.get_by_role("heading", name="Your appointment")).to_be_visible()
    screenshot(page, "printout_slip_en")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    screenshot(page, "printout_slip_en_as_printed")
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Español").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = SCREENSHOTS / "printout_slip_es.pdf"
    download.value.save_as(pdf)
    assert download.value.suggested_filename == f"appointment-{walk_in.pk}-es.pdf"
    assert "Rosa Elena Martínez Soto" in pdf_text(pdf.read_bytes())
    assert page.console_errors == []


def test_an_attorney_prints_the_notice_of_a_hearing(new_page, case):
    Court.objects.filter(code="DAL").update(address="1100 Commerce Street, Suite 1060\nDallas, TX 75242")
    case.court.refresh_from_db()
    attorney = get_user_model().objects.get(username="attorney")
    day = timezone.localdate() + timedelta(days=21)
    day += timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)  # a weekday: courts sit then
    hearing = schedule(attorney, case, day, time(8, 30), judge="Hon. R. Alvarado", notes="Strategy-PRIVATE")
    page = new_page()
    sign_in(page, "attorney", DEMO_PASSWORD)
    page.goto(f"/cases/{case.pk}/hearings/")
    screenshot(page, "printout_hearings_tab")
    page.locator(f"#hearing-{hearing.pk}").get_by_role("link", name="Print a notice for the client").click()
    sheet = page.locator("main")
    expect(sheet.get_by_role("heading", name="Su audiencia")).to_be_visible()
    expect(sheet).to_contain_text("Tribunal de Inmigración de Dallas")
    expect(sheet).to_contain_text("in absentia")
    expect(sheet).not_to_contain_text("PRIVATE")
    screenshot(page, "printout_notice_es")

    page.get_by_role("link", name="English").click()
    expect(sheet.get_by_role("heading", name="Your hearing")).to_be_visible()
    screenshot(page, "printout_notice_en")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = SCREENSHOTS / "printout_notice_en.pdf"
    download.value.save_as(pdf)
    assert case.client.full_name in pdf_text(pdf.read_bytes())
    page.get_by_role("link", name="Back to the hearings of").click()
    expect(page.locator(f"#hearing-{hearing.pk}")).to_be_visible()
    assert page.console_errors == []

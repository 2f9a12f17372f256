"""Importing clients through the real pages: upload, preview, import, and the progress bar that
htmx polls until the task is done (Celery runs eagerly under the test settings)."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from clients.import_selectors import progress_key
from clients.models import Client, ClientImport
from clinic.models import Membership
from tests.browser.conftest import screenshot, sign_in
from tests.clients.import_files import GOOD_ROWS, HEADER, csv_bytes, row
from tests.factories import TEST_PASSWORD, ClinicFactory, staff_member


@pytest.fixture
def intake(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    clinic = ClinicFactory(name="Las Americas (browser)", slug="las-americas-browser")
    return staff_member(
        clinic, Membership.Role.INTAKE, username="intake-browser", first_name="Inés", last_name="Duarte"
    )


def test_it_uploads_previews_and_imports_the_valid_rows(new_page, intake, tmp_path):
    path = tmp_path / "clientes.csv"
    rows = [*GOOD_ROWS, row(given_names="Luis", a_number="A12B", country_of_nationality="Narnia", phone="call me")]
    path.write_bytes(csv_bytes(rows, header=[*HEADER, "notes"], delimiter=";"))
    page = new_page()
    sign_in(page, intake.username, TEST_PASSWORD)
    page.goto("/clients/")
    screenshot(page, "import-client-list")
    page.get_by_role("link", name="Import from a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import clients from a spreadsheet")
    screenshot(page, "import-upload")

    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="Problems, row by row")).to_be_visible()
    expect(page.get_by_text("“Narnia” is not a country we know")).to_be_visible()
    expect(page.get_by_text("“notes” is not one the import knows")).to_be_visible()
    screenshot(page, "import-preview")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Import only the 3 valid rows").click()
    expect(page.get_by_text("3 clients were added.")).to_be_visible()
    screenshot(page, "import-done")
    assert Client.objects.filter(clinic=intake.membership.clinic).count() == 3
    assert page.console_errors == []


def test_the_progress_bar_polls_until_the_check_is_done(new_page, intake):
    client_import = ClientImport.objects.create(
        clinic=intake.membership.clinic,
        uploaded_by=intake,
        file=ContentFile(b"given_names\nAna\n", name="imports/big.csv"),
        original_name="big.csv",
        status=ClientImport.Status.VALIDATING,
    )
    cache.set(progress_key(client_import.pk), {"phase": "validating", "done": 4200, "total": 10000})
    try:
        page = new_page()
        sign_in(page, intake.username, TEST_PASSWORD)
        page.goto(f"/clients/import/{client_import.pk}/")
        expect(page.get_by_text("4,200 of 10,000 rows")).to_be_visible()
        screenshot(page, "import-progress")
        cache.set(progress_key(client_import.pk), {"phase": "validating", "done": 9800, "total": 10000})
        expect(page.get_by_text("9,800 of 10,000 rows")).to_be_visible(timeout=5000)
        ClientImport.objects.filter(pk=client_import.pk).update(
            status=ClientImport.Status.VALIDATED, total_rows=1, valid_rows=1, preview=[{"row": 2, "given_names": "Ana"}]
        )
        # The fragment answers HX-Refresh once the task is done; the page reloads with the result.
        expect(page.get_by_role("button", name="Import the client")).to_be_visible(timeout=5000)
        assert page.console_errors == []
    finally:
        cache.delete(progress_key(client_import.pk))

"""The evidence tab in a real browser: an attorney uploads three documents (two at once), sees an
impostor refused, links the documents to the claim's elements, reads the matrix with the gap that
remains, puts the documents on the exhibit list in order and downloads the index PDF."""

import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from cases import services as case_services
from cases.models import Case, Court, HarmIncident
from clients import services as client_services
from clinic.models import Membership
from tests.browser.conftest import screenshot, sign_in
from tests.cases import evidence_files as files
from tests.factories import TEST_PASSWORD, ClinicFactory, staff_member

DASH = "\N{EN DASH}"


@pytest.fixture
def case(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    clinic = ClinicFactory(name="Las Americas (browser)", slug="las-americas-browser", time_zone="America/Denver")
    attorney = staff_member(clinic, Membership.Role.ATTORNEY, username="ana", first_name="Ana", last_name="Ruiz")
    principal = client_services.client_create(
        actor=attorney,
        data={"given_names": "Javier Armando", "paternal_surname": "Castañeda", "maternal_surname": "Ruelas",
              "a_number": "212345678", "last_entry_date": date(2025, 12, 9)},
    )  # fmt: skip
    case = case_services.case_open(
        actor=attorney,
        client=principal,
        data={"process": Case.Process.DEFENSIVE, "court": Court.objects.get(code="ELP")},
        lead_attorney=attorney,
    )
    claim = case.claim
    claim.ground_political_opinion, claim.persecutor_type, claim.one_year_status = True, "non_state", "within"
    claim.save()
    HarmIncident.objects.create(
        claim=claim, occurred_on=date(2024, 3, 14), place="Ciudad Juárez", description="Beaten by cartel members"
    )
    return case


def payload(name: str, mime: str, content: bytes) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def edit_links(page, title: str, *elements: str) -> None:
    page.get_by_role("row").filter(has_text=title).get_by_role("link", name="Edit").click()
    for element in elements:
        page.get_by_label(element).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The document's details were saved.")).to_be_visible()


def test_an_attorney_builds_the_evidence_and_files_the_index(new_page, case):
    page = new_page()
    sign_in(page, "ana", TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/evidence/")
    expect(page.get_by_role("heading", name="Upload documents")).to_be_visible()

    # An impostor first: a ZIP named .pdf is refused by name, and nothing is saved.
    page.get_by_label("Files").set_input_files([payload("declaration.pdf", "application/pdf", files.zip_bytes())])
    page.get_by_label("Category").select_option("declaration")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("“declaration.pdf” was refused: its content is a ZIP archive")).to_be_visible()
    screenshot(page, "evidence-upload-refused")

    page.get_by_label("Files").set_input_files(
        [
            payload("Passport.pdf", "application/pdf", files.pdf_bytes(3)),
            payload("Wound photo.png", "image/png", files.png_bytes()),
        ]
    )
    page.get_by_label("Category").select_option("identity")
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("2 documents uploaded.")).to_be_visible()

    page.get_by_label("Files").set_input_files(
        [payload("Declaration.docx", "application/octet-stream", files.docx_bytes(pages=6))]
    )
    page.get_by_label("Description").fill("Declaration of the respondent")
    page.get_by_label("Category").select_option("declaration")
    page.get_by_text("What it supports (optional)").click()
    page.get_by_label("Nexus: one central reason").check()
    page.get_by_label("Well-founded fear of future harm").check()
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("1 document uploaded.")).to_be_visible()
    screenshot(page, "evidence-documents")

    edit_links(page, "Passport", "Identity and nationality")
    edit_links(page, "Wound photo", "Past harm: 14 Mar 2024, Ciudad Juárez, Beaten by cartel members")
    page.get_by_role("row").filter(has_text="Wound photo").get_by_role("link", name="Edit").click()
    screenshot(page, "evidence-edit")

    page.get_by_role("link", name="Evidence matrix").click()
    expect(page.get_by_text("4 of 7 elements supported")).to_be_visible()
    gaps = page.locator("tr.matrix-gap")
    expect(gaps).to_have_count(3)
    expect(gaps.filter(has_text="Protected ground")).to_contain_text("No evidence yet")
    screenshot(page, "evidence-matrix")

    page.get_by_role("link", name="Exhibit list").click()
    for title in ("Passport", "Declaration of the respondent", "Wound photo"):
        page.get_by_role("listitem").filter(has_text=title).get_by_role(
            "button", name="Add as the next exhibit"
        ).click()
    page.get_by_role("button", name="Move exhibit B up").click()
    rows = page.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("Declaration of the respondent")
    expect(rows.nth(0)).to_contain_text(f"pages 1{DASH}6")
    expect(rows.nth(1)).to_contain_text(f"pages 7{DASH}9")
    expect(rows.nth(2)).to_contain_text("page 10")
    expect(page.get_by_text("Total: 10 pages.")).to_be_visible()
    screenshot(page, "evidence-exhibits")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the index (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{case.number}-exhibit-index.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages)
    assert case.number in text
    assert "El Paso Immigration Court (ELP)" in text
    assert "A-212-345-678" in text
    assert "Declaration of the respondent" in text
    assert page.console_errors == []

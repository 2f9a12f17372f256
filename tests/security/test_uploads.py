"""Uploads (issue 7, item 6): each property, for each way a file comes in, through the pages staff
use. Two upload paths exist: evidence documents (cases:evidence-upload) and spreadsheets of clients
(clients:import-upload); nothing else takes a file.

What proves each property, here (new) or in an existing test:

1. Type judged by content, never by name.
   Evidence: test_evidence_upload.py, test_it_accepts_each_kind_of_document_by_its_content and
   test_it_refuses_a_file_that_is_not_what_it_claims_and_stores_nothing (a ZIP, text or a program
   named .pdf, a PNG named .pdf, a PDF named .txt); here, HTML and SVG named .pdf or .png and a PDF
   named evil.exe (test_it_refuses_html_svg_or_a_renamed_program_as_evidence_and_stores_nothing).
   Imports: here, test_it_refuses_a_file_that_is_no_spreadsheet_before_storing_it.
2. Size limits.
   Evidence: test_evidence_upload.py, test_it_refuses_a_file_over_25_mb_before_storing_any_of_it.
   Imports: here, test_it_refuses_a_spreadsheet_over_10_mb_before_storing_it.
3. File names never trusted: stored under a generated name, recorded without path or control
   characters. Here, test_it_stores_evidence_under_a_generated_name_whatever_it_was_sent_as and
   test_it_stores_a_spreadsheet_under_a_generated_name_with_the_extension_of_its_content.
4. Files outside the web root, no address serving them. Here,
   test_it_keeps_uploads_out_of_every_static_folder_and_no_url_serves_them and
   test_it_serves_no_stored_file_by_its_address (test_evidence_upload.py,
   test_it_never_exposes_a_media_url, asks /media/ for evidence).
5. Served as an attachment, only through an access-checked view.
   Evidence: test_evidence_upload.py, test_it_serves_a_download_as_an_attachment_of_its_real_type
   (type, nosniff, no-store); tests/security/test_authorization_matrix.py, the download as each
   role, another clinic's staff (404) and an attorney off the case (404; intake staff 403); here,
   a hostile name cannot break the header (test_it_stores_evidence_under_a_generated_name_...),
   test_it_answers_404_for_a_document_asked_for_under_another_case and
   test_it_stores_nothing_from_someone_who_may_not_add_evidence.
   Imports: the spreadsheet is never served back; only its list of problems is, as an attachment
   named by number (here) and 404 to another clinic (test_import_views.py,
   test_it_hides_another_clinics_import).
"""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.staticfiles import views as staticfiles_views
from django.urls import URLResolver, get_resolver, reverse
from django.utils.http import parse_header_parameters
from django.views import static

from cases import services as case_services
from cases.models import Case, Evidence
from clients import services as client_services
from clients.models import ClientImport
from clinic.models import AuditEvent, Membership
from tests.cases import evidence_files as files
from tests.clients.import_files import GOOD_ROWS, csv_bytes, row, xlsx_bytes
from tests.factories import staff_member

Role = Membership.Role
DETAILS = {"category": "declaration", "language": "es", "translation": "needed"}
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def open_case(clinic_staff, given_names: str) -> Case:
    client = client_services.client_create(actor=clinic_staff[Role.INTAKE], data={"given_names": given_names})
    attorney = clinic_staff[Role.ATTORNEY]
    return case_services.case_open(
        actor=attorney, client=client, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )


@pytest.fixture
def case(staff) -> Case:
    return open_case(staff, "Javier")


@pytest.fixture
def other_case(outsiders) -> Case:
    return open_case(outsiders, "Pedro")


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def post_file(client, url: str, field: str, name: str, content: bytes, fields: dict | None = None):
    """Posts one file under `name` exactly, as a script can: in RFC 2231's filename*, so that quotes,
    slashes and line breaks reach the server instead of being escaped by the browser."""
    boundary = "amparo-upload-test"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in (fields or {}).items()
    ]
    parts.append(
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename*=UTF-8''{quote(name, safe='')}"
        "\r\nContent-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return client.post(url, body, content_type=f"multipart/form-data; boundary={boundary}")


def upload_evidence(client, case: Case, name: str, content: bytes):
    return post_file(client, reverse("cases:evidence-upload", args=[case.pk]), "files", name, content, DETAILS)


def upload_spreadsheet(client, name: str, content: bytes):
    return post_file(client, reverse("clients:import-upload"), "file", name, content)


# Evidence


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("<img src=x onerror=alert(1)>.pdf", HTML, "its content is not a PDF, an image"),
        ("map.pdf", SVG, "its content is not a PDF, an image"),
        ("photo.png", SVG, "its content is not a PDF, an image"),
        ("evil.exe", files.pdf_bytes(), "its name ends in .exe but its content is a PDF"),
    ],
    ids=["html-as-pdf", "svg-as-pdf", "svg-as-png", "pdf-as-exe"],
)
def test_it_refuses_html_svg_or_a_renamed_program_as_evidence_and_stores_nothing(
    as_user, attorney, case, media, name, content, says
):
    response = as_user(attorney).post(
        reverse("cases:evidence-upload", args=[case.pk]), {**DETAILS, "files": [files.upload(name, content)]}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert says in page
    assert "<img src=x" not in page  # the name is quoted back as text, never as markup
    assert not Evidence.objects.exists()
    assert files_under(media) == []


@pytest.mark.parametrize(
    ("sent_as", "content", "recorded_as", "downloads_as", "content_type"),
    [
        ("../../etc/passwd", files.jpeg_bytes(), "passwd", "passwd.jpg", "image/jpeg"),
        ("..\\..\\Windows\\evil.pdf", files.pdf_bytes(), "evil.pdf", "evil.pdf", "application/pdf"),
        ('say "final"; x=1.pdf', files.pdf_bytes(), 'say "final"; x=1.pdf', 'say "final"; x=1.pdf', "application/pdf"),
        (
            "Carta\r\nSet-Cookie: x=1.pdf",
            files.pdf_bytes(),
            "CartaSet-Cookie: x=1.pdf",
            "CartaSet-Cookie: x=1.pdf",
            "application/pdf",
        ),
    ],
    ids=["unix-path", "windows-path", "quotes-and-semicolon", "line-break"],
)
def test_it_stores_evidence_under_a_generated_name_whatever_it_was_sent_as(
    as_user, attorney, case, media, tmp_path, sent_as, content, recorded_as, downloads_as, content_type
):
    client = as_user(attorney)
    response = upload_evidence(client, case, sent_as, content)
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case)
    assert re.fullmatch(rf"evidence/{case.clinic_id}/{case.pk}/[0-9a-f]{{32}}", evidence.file.name)
    # The one file written anywhere is the generated one, inside MEDIA_ROOT.
    assert files_under(tmp_path) == [media / evidence.file.name]
    assert evidence.original_name == recorded_as

    response = client.get(reverse("cases:evidence-download", args=[case.pk, evidence.pk]))
    disposition = response["Content-Disposition"]
    assert not re.search(r"[\r\n]", disposition)
    assert parse_header_parameters(disposition) == ("attachment", {"filename": downloads_as})
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_404_for_a_document_asked_for_under_another_case(
    as_user, staff, outsiders, clinic, case, other_case, media
):
    """The download checks the case in its address, and that the document belongs to it: an
    attorney who may open their own case cannot reach another case's file through it."""
    colleague = staff_member(clinic, Role.ATTORNEY, username="la-attorney-2")
    colleagues_case = case_services.case_open(
        actor=colleague,
        client=client_services.client_create(actor=staff[Role.INTAKE], data={"given_names": "Rosa"}),
        data={"process": Case.Process.AFFIRMATIVE},
        lead_attorney=colleague,
    )
    documents = []
    for owner, its_case in ((colleague, colleagues_case), (outsiders[Role.ATTORNEY], other_case)):
        upload_evidence(as_user(owner), its_case, "declaration.pdf", files.pdf_bytes())
        documents.append(Evidence.objects.get(case=its_case))
    client = as_user(staff[Role.ATTORNEY])
    for document in documents:
        response = client.get(reverse("cases:evidence-download", args=[case.pk, document.pk]))
        assert response.status_code == 404
        assert not getattr(response, "streaming", False)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("intake", 403), ("attorney_off", 404), ("attorney_reader", 403), ("outsider", 404)]
)
def test_it_stores_nothing_from_someone_who_may_not_add_evidence(
    as_user, staff, outsiders, clinic, case, media, who, status
):
    """As tests/security/authorization_table.py says for cases:evidence-upload, but with a real file."""
    if who == "attorney_reader":
        clinic.attorneys_read_all_cases = True
        clinic.save(update_fields=["attorneys_read_all_cases"])
    user = {
        "intake": staff[Role.INTAKE],
        "attorney_off": staff_member(clinic, Role.ATTORNEY, username="la-attorney-off"),
        "attorney_reader": staff_member(clinic, Role.ATTORNEY, username="la-attorney-reader"),
        "outsider": outsiders[Role.ATTORNEY],
    }[who]
    response = upload_evidence(as_user(user), case, "declaration.pdf", files.pdf_bytes())
    assert response.status_code == status
    assert not Evidence.objects.exists()
    assert files_under(media) == []


# Client imports


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("clients.csv", files.exe_bytes(), "This is not a CSV or Excel (.xlsx) file."),
        ("clients.csv", HTML, "The file has no “given_names” column."),
        ("clients.xlsx", SVG, "The file has no “given_names” column."),
        ("clients.xlsx", files.docx_bytes(), "could not be read as an Excel workbook"),
        ("clients.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "This is an old Excel file (.xls)."),
        ("clients.csv", csv_bytes([["López"]], header=["paternal_surname"]), "The file has no “given_names” column."),
    ],
    ids=["program-as-csv", "html-as-csv", "svg-as-xlsx", "word-as-xlsx", "old-excel", "no-given-names"],
)
def test_it_refuses_a_file_that_is_no_spreadsheet_before_storing_it(
    as_user, intake_user, media, django_capture_on_commit_callbacks, name, content, says
):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = upload_spreadsheet(as_user(intake_user), name, content)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not ClientImport.objects.exists()
    assert queued == []  # no check task either
    assert files_under(media) == []


def test_it_refuses_a_spreadsheet_over_10_mb_before_storing_it(as_user, intake_user, media):
    content = csv_bytes(GOOD_ROWS) + b" " * (10 * 1024 * 1024)
    response = upload_spreadsheet(as_user(intake_user), "clients.csv", content)
    assert response.status_code == 200
    assert "the limit is 10 MB. Split it into smaller files." in response.content.decode()
    assert not ClientImport.objects.exists()
    assert files_under(media) == []


@pytest.mark.parametrize(
    ("sent_as", "content", "recorded_as", "extension"),
    [
        ("../../etc/passwd", csv_bytes(GOOD_ROWS), "passwd", ".csv"),
        ("evil.exe", xlsx_bytes(GOOD_ROWS), "evil.exe", ".xlsx"),
        ("clients.csv", xlsx_bytes(GOOD_ROWS), "clients.csv", ".xlsx"),
        ("..\\Rosa Pérez\r\n.xlsx", csv_bytes(GOOD_ROWS), "Rosa Pérez.xlsx", ".csv"),
    ],
    ids=["unix-path", "xlsx-as-exe", "xlsx-as-csv", "csv-as-xlsx-with-path-and-line-break"],
)
def test_it_stores_a_spreadsheet_under_a_generated_name_with_the_extension_of_its_content(
    as_user, intake_user, media, tmp_path, sent_as, content, recorded_as, extension
):
    response = upload_spreadsheet(as_user(intake_user), sent_as, content)
    assert response.status_code == 302
    client_import = ClientImport.objects.get()
    assert re.fullmatch(rf"imports/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}{re.escape(extension)}", client_import.file.name)
    assert files_under(tmp_path) == [media / client_import.file.name]
    assert client_import.original_name == recorded_as


def test_it_serves_the_list_of_problems_as_an_attachment_named_by_number(
    as_user, intake_user, media, django_capture_on_commit_callbacks
):
    client = as_user(intake_user)
    with django_capture_on_commit_callbacks(execute=True):
        upload_spreadsheet(
            client, 'Rosa "list"; x=1.csv', csv_bytes([*GOOD_ROWS, row(given_names="Luis", a_number="A12B")])
        )
    client_import = ClientImport.objects.get()
    assert client_import.status == ClientImport.Status.VALIDATED
    response = client.get(reverse("clients:import-problems", args=[client_import.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="import-{client_import.pk}-problems.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"


# Where files live


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        else:
            yield pattern.callback


def test_it_keeps_uploads_out_of_every_static_folder_and_no_url_serves_them(settings):
    """The configured MEDIA_ROOT (not a test's): WhiteNoise serves STATIC_ROOT (and WHITENOISE_ROOT,
    if set), runserver the static folders; none of them may hold the uploads."""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    served = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS, getattr(settings, "WHITENOISE_ROOT", None)]
    for folder in filter(None, served):
        assert not media_root.is_relative_to(Path(folder).resolve()), f"MEDIA_ROOT is inside {folder}"
    views = set(_views(get_resolver().url_patterns))
    assert static.serve not in views
    assert staticfiles_views.serve not in views


def test_it_serves_no_stored_file_by_its_address(as_user, attorney, case, media, settings):
    """Not under the static URL, nor at the address the storage would give it (MEDIA_URL); the
    spreadsheet not under /media/ either (test_evidence_upload.py asks that of evidence)."""
    client = as_user(attorney)
    upload_evidence(client, case, "declaration.pdf", files.pdf_bytes())
    upload_spreadsheet(client, "clients.csv", csv_bytes(GOOD_ROWS))
    evidence, client_import = Evidence.objects.get(), ClientImport.objects.get()
    for stored in (evidence.file, client_import.file):
        assert (media / stored.name).is_file()
        for address in (f"{settings.STATIC_URL}{stored.name}", stored.url):
            assert client.get(address).status_code == 404, address
    assert client.get(f"/media/{client_import.file.name}").status_code == 404
    page = client.get(reverse("clients:import-detail", args=[client_import.pk])).content.decode()
    assert client_import.file.name not in page

"""Uploading evidence: files judged by their content, the 25 MB cap, what is kept, nothing half
written, downloads only through the access-checked view, and the audit trail."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse

from cases import evidence_services, uploads
from cases.models import Evidence, EvidenceLink, HarmIncident
from clinic.models import AuditEvent
from tests.cases import evidence_files as files

DETAILS = {"category": "declaration", "language": "es", "translation": "needed"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def post_upload(client, case, *uploaded, **fields):
    data = {**DETAILS, "files": list(uploaded), **fields}
    return client.post(reverse("cases:evidence-upload", args=[case.pk]), data)


def test_it_stores_a_pdf_under_a_random_name_with_its_pages_and_hash(as_user, attorney, case, media):
    content = files.pdf_bytes(pages=3)
    response = post_upload(
        as_user(attorney), case, files.upload("Declaración Javier.pdf", content), title="Declaration"
    )
    assert response.status_code == 302
    assert response.url == reverse("cases:evidence", args=[case.pk])
    evidence = Evidence.objects.get(case=case)
    assert (evidence.title, evidence.original_name) == ("Declaration", "Declaración Javier.pdf")
    assert (evidence.content_type, evidence.size, evidence.page_count) == ("application/pdf", len(content), 3)
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by == attorney
    # Under MEDIA_ROOT, in the clinic's and case's folder, with no trace of the client's file name.
    assert evidence.file.name.startswith(f"evidence/{case.clinic_id}/{case.pk}/")
    assert "Javier" not in evidence.file.name
    assert (media / evidence.file.name).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "make", "content_type", "pages"),
    [
        ("photo.png", files.png_bytes, "image/png", 1),
        ("IMG_0042.JPG", files.jpeg_bytes, "image/jpeg", 1),
        ("IMG_0043.HEIC", files.heic_bytes, "image/heic", 1),
        ("scan.tiff", files.tiff_bytes, "image/tiff", 1),
        ("declaration.docx", files.docx_bytes, uploads.DOCX_TYPE, 4),
        ("declaration", files.pdf_bytes, "application/pdf", 1),
    ],
)
def test_it_accepts_each_kind_of_document_by_its_content(as_user, attorney, case, name, make, content_type, pages):
    # The browser's claimed type is never trusted: send them all as octet-stream.
    response = post_upload(as_user(attorney), case, files.upload(name, make()))
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case)
    assert (evidence.content_type, evidence.page_count) == (content_type, pages)


def test_it_leaves_the_page_count_of_a_word_file_without_one_empty(as_user, attorney, case):
    post_upload(as_user(attorney), case, files.upload("notes.docx", files.docx_bytes(pages=None)))
    assert Evidence.objects.get(case=case).page_count is None


def test_it_uploads_several_files_at_once_with_the_same_details(as_user, attorney, case):
    uploaded = [
        files.upload("passport.pdf", files.pdf_bytes(2)),
        files.upload("cedula.png", files.png_bytes()),
        files.upload("birth-certificate.pdf", files.pdf_bytes(1)),
    ]
    response = post_upload(
        as_user(attorney), case, *uploaded, category="identity", translation="done", translator_certificate="on"
    )
    assert response.status_code == 302
    items = Evidence.objects.filter(case=case).order_by("id")
    # Without a description, each document takes its file name.
    assert [item.title for item in items] == ["passport", "cedula", "birth-certificate"]
    assert {(item.category, item.translation, item.translator_certificate) for item in items} == {
        ("identity", "done", True)
    }
    assert as_user(attorney).get(reverse("cases:evidence", args=[case.pk])).status_code == 200
    created = AuditEvent.objects.filter(action="create", object_type="cases.evidence")
    assert sorted(created.values_list("object_id", flat=True)) == sorted(str(item.pk) for item in items)


def test_it_links_an_upload_to_claim_elements_and_an_incident(as_user, attorney, case):
    incident = HarmIncident.objects.create(claim=case.claim, description="Beaten by gang members")
    response = post_upload(
        as_user(attorney),
        case,
        files.upload("medical.pdf", files.pdf_bytes()),
        links=["identity", f"harm:{incident.pk}"],
    )
    assert response.status_code == 302
    links = set(EvidenceLink.objects.values_list("element", "incident_id"))
    assert links == {("identity", None), ("harm", incident.pk)}


def test_it_refuses_an_incident_of_another_case(as_user, attorney, case, other_case):
    foreign = HarmIncident.objects.create(claim=other_case.claim, description="Elsewhere")
    response = post_upload(
        as_user(attorney), case, files.upload("a.pdf", files.pdf_bytes()), links=[f"harm:{foreign.pk}"]
    )
    assert response.status_code == 200
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("declaration.pdf", files.zip_bytes(), "its content is a ZIP archive, not a PDF"),
        ("declaration.pdf", b"I declare under penalty of perjury...\n", "its content is not a PDF, an image"),
        ("police-report.pdf", files.exe_bytes(), "its content is not a PDF, an image"),
        ("photo.pdf", files.png_bytes(), "its name ends in .pdf but its content is a PNG image"),
        ("statement.docx", files.pdf_bytes(), "its name ends in .docx but its content is a PDF"),
        ("statement.docx", files.docx_bytes(macros=True), "it contains macros"),
        ("report.docx", files.zip_bytes(), "its content is a ZIP archive"),
        ("page.html", b"<html><script>alert(1)</script></html>", "its content is not a PDF"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_claims_and_stores_nothing(
    as_user, attorney, case, media, name, content, says
):
    response = post_upload(as_user(attorney), case, files.upload(name, content, "application/pdf"))
    assert response.status_code == 200
    assert says in response.content.decode()
    assert f"“{name}”" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_the_whole_batch_when_one_file_is_bad_and_names_only_that_one(as_user, attorney, case, media):
    response = post_upload(
        as_user(attorney), case,
        files.upload("good.pdf", files.pdf_bytes()),
        files.upload("fake.pdf", files.zip_bytes()),
        files.upload("good.png", files.png_bytes()),
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "“fake.pdf” was refused" in page
    assert "“good.pdf”" not in page
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_a_file_over_25_mb_before_storing_any_of_it(as_user, attorney, case, media):
    too_big = files.pdf_bytes() + b"\x00" * (uploads.MAX_SIZE + 1 - len(files.pdf_bytes()))
    assert len(too_big) == uploads.MAX_SIZE + 1
    response = post_upload(as_user(attorney), case, files.upload("huge-scan.pdf", too_big))
    page = response.content.decode()
    assert response.status_code == 200
    assert "“huge-scan.pdf” is larger than 25 MB" in page
    assert "Choose the file" not in page
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


class Unreadable(io.BytesIO):
    """A file that says it is over 25 MB and fails if anything reads it."""

    name = "big.pdf"
    size = uploads.MAX_SIZE + 1

    def read(self, *args):
        raise AssertionError("a file over the limit was read")


def test_it_judges_the_size_before_reading_the_file():
    with pytest.raises(ValidationError, match="larger than 25 MB"):
        uploads.inspect_upload(Unreadable())


def test_it_accepts_a_file_of_exactly_25_mb(attorney, case):
    content = files.png_bytes() + b"\x00" * (uploads.MAX_SIZE - len(files.png_bytes()))
    items = evidence_services.evidence_upload(
        actor=attorney, case=case, files=[files.upload("scan.png", content)], data=DETAILS
    )
    assert items[0].size == uploads.MAX_SIZE


def test_it_removes_the_stored_file_when_the_row_cannot_be_saved(attorney, case, media, monkeypatch):
    def broken_links(evidence, links):
        raise IntegrityError("the database refused")

    monkeypatch.setattr(evidence_services, "_add_links", broken_links)
    with pytest.raises(IntegrityError):
        evidence_services.evidence_upload(
            actor=attorney,
            case=case,
            files=[files.upload("a.pdf", files.pdf_bytes()), files.upload("b.pdf", files.pdf_bytes())],
            data=DETAILS,
        )
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_it_refuses_an_upload_from_someone_who_may_not_change_the_case(intake_user, case, media):
    with pytest.raises(PermissionDenied):
        evidence_services.evidence_upload(
            actor=intake_user, case=case, files=[files.upload("a.pdf", files.pdf_bytes())], data=DETAILS
        )
    assert stored_files(media) == []


def test_it_serves_a_download_as_an_attachment_of_its_real_type(as_user, attorney, case):
    content = files.pdf_bytes(2)
    post_upload(as_user(attorney), case, files.upload("Declaración.pdf", content))
    evidence = Evidence.objects.get(case=case)
    response = as_user(attorney).get(reverse("cases:evidence-download", args=[case.pk, evidence.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Declaraci%C3%B3n.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_it_gives_a_download_without_extension_the_one_of_its_type(as_user, attorney, case):
    post_upload(as_user(attorney), case, files.upload("scan", files.png_bytes()))
    evidence = Evidence.objects.get(case=case)
    response = as_user(attorney).get(reverse("cases:evidence-download", args=[case.pk, evidence.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
    assert response["Content-Type"] == "image/png"


def test_it_never_exposes_a_media_url(as_user, attorney, case, settings):
    post_upload(as_user(attorney), case, files.upload("a.pdf", files.pdf_bytes()))
    evidence = Evidence.objects.get(case=case)
    page = as_user(attorney).get(reverse("cases:evidence", args=[case.pk])).content.decode()
    assert evidence.file.name not in page
    assert as_user(attorney).get("/media/" + evidence.file.name).status_code == 404


def test_it_audits_uploads_downloads_edits_and_deletions_by_number_only(
    as_user, attorney, case, media, django_capture_on_commit_callbacks
):
    client = as_user(attorney)
    post_upload(
        client, case, files.upload("Javier Castañeda declaration.pdf", files.pdf_bytes()), title="Declaration of Javier"
    )
    evidence = Evidence.objects.get(case=case)
    client.get(reverse("cases:evidence-download", args=[case.pk, evidence.pk]))
    client.post(
        reverse("cases:evidence-edit", args=[case.pk, evidence.pk]),
        {**DETAILS, "title": "Declaration", "links": ["identity"]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:evidence-delete", args=[case.pk, evidence.pk]))
    events = list(
        AuditEvent.objects.filter(object_label=case.number)
        .order_by("id")
        .values_list("action", "object_type", "object_id", "summary")
    )
    evidence_events = [event for event in events if event[1] == "cases.evidence"]
    assert [event[0] for event in evidence_events] == ["create", "download", "update", "delete"]
    assert {event[2] for event in evidence_events} == {str(evidence.pk)}
    assert not any("Javier" in event[3] for event in events)
    assert stored_files(media) == []


def test_it_removes_the_file_only_once_the_deletion_commits(attorney, case, media, django_capture_on_commit_callbacks):
    (evidence,) = evidence_services.evidence_upload(
        actor=attorney, case=case, files=[files.upload("a.pdf", files.pdf_bytes())], data=DETAILS
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_services.evidence_delete(actor=attorney, evidence=evidence)
    assert len(stored_files(media)) == 1
    callbacks[0]()
    assert stored_files(media) == []


def test_it_answers_404_when_the_stored_file_is_missing(as_user, attorney, case, media):
    (evidence,) = evidence_services.evidence_upload(
        actor=attorney, case=case, files=[files.upload("a.pdf", files.pdf_bytes())], data=DETAILS
    )
    (media / evidence.file.name).unlink()
    response = as_user(attorney).get(reverse("cases:evidence-download", args=[case.pk, evidence.pk]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()


@pytest.mark.parametrize(
    ("name", "saved_as"),
    [
        ("Scan 2024.03.14", "Scan 2024.03.14.pdf"),
        ("Declaración.final", "Declaración.final.pdf"),
        ("carta.PDF", "carta.PDF"),
    ],
)
def test_it_reads_dots_that_name_no_type_as_part_of_the_name(as_user, attorney, case, name, saved_as):
    response = post_upload(as_user(attorney), case, files.upload(name, files.pdf_bytes()))
    assert response.status_code == 302
    evidence = Evidence.objects.get(case=case)
    assert uploads.download_name(evidence.original_name, evidence.content_type) == saved_as


def test_it_refuses_a_pdf_that_calls_itself_a_text_file(as_user, attorney, case):
    response = post_upload(as_user(attorney), case, files.upload("notes.txt", files.pdf_bytes()))
    assert "its name ends in .txt but its content is a PDF" in response.content.decode()
    assert not Evidence.objects.exists()

"""Importing clients in the browser: upload, preview, import, progress, and who may do each."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clients import import_services, services
from clients.import_selectors import progress_key
from clients.models import Client, ClientAlias, ClientImport
from clinic.models import AuditEvent, Membership
from tests.clients.import_files import GOOD_ROWS, csv_bytes, row, xlsx_bytes

Role = Membership.Role
Status = ClientImport.Status
CLIENT_ROLES = {Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR}
BAD_ROW = row(given_names="Luis", a_number="A12B")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def upload(as_user, django_capture_on_commit_callbacks):
    """upload(user, content, name) -> the ClientImport, once the check task has run."""

    def send(user, content: bytes, name: str = "clients.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            response = as_user(user).post(reverse("clients:import-upload"), {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 302, response.content
        client_import = ClientImport.objects.latest("uploaded_at")
        assert response.url == reverse("clients:import-detail", args=[client_import.pk])
        return client_import

    return send


@pytest.fixture
def run(as_user, django_capture_on_commit_callbacks):
    """run(user, client_import, mode) -> the response; the import task runs before it returns."""

    def post(user, client_import, mode):
        signed_in = as_user(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in.post(reverse("clients:import-run", args=[client_import.pk]), {"mode": mode})
        assert response.url == reverse("clients:import-detail", args=[client_import.pk])
        return signed_in.get(response.url)

    return post


@pytest.fixture
def validated(clinic, intake_user):
    """An import checked already (the task is not run), with one bad row."""
    return ClientImport.objects.create(
        clinic=clinic,
        uploaded_by=intake_user,
        file=ContentFile(csv_bytes([*GOOD_ROWS, BAD_ROW]), name="imports/clients.csv"),
        original_name="clients.csv",
        status=Status.VALIDATED,
        total_rows=4,
        valid_rows=3,
        errors=[{"row": 5, "column": "a_number", "message": "An A-number has only digits after the A."}],
    )


# Who may do what

OBJECT_VIEWS = [
    ("get", "clients:import-detail"),
    ("get", "clients:import-progress"),
    ("get", "clients:import-problems"),
    ("post", "clients:import-run"),
    ("post", "clients:import-discard"),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", ["clients:import-upload", "clients:import-template"])
def test_it_lets_only_client_roles_open_the_upload_page_and_template(as_user, staff, role, url_name):
    response = as_user(staff[role]).get(reverse(url_name))
    assert response.status_code == (200 if role in CLIENT_ROLES else 403)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "url_name"), OBJECT_VIEWS)
def test_it_answers_each_import_view_by_role(as_user, staff, validated, role, method, url_name):
    response = getattr(as_user(staff[role]), method)(reverse(url_name, args=[validated.pk]), {"mode": "valid_only"})
    if role not in CLIENT_ROLES:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302)


@pytest.mark.parametrize("role", sorted(CLIENT_ROLES))
@pytest.mark.parametrize(("method", "url_name"), OBJECT_VIEWS)
def test_it_hides_another_clinics_import(as_user, outsiders, validated, role, method, url_name):
    response = getattr(as_user(outsiders[role]), method)(reverse(url_name, args=[validated.pk]), {"mode": "all"})
    assert response.status_code == 404
    validated.refresh_from_db()
    assert validated.status == Status.VALIDATED


def test_it_asks_for_sign_in(client, validated):
    response = client.get(reverse("clients:import-detail", args=[validated.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_offers_the_import_on_the_client_list(as_user, intake_user):
    page = as_user(intake_user).get(reverse("clients:client-list")).content.decode()
    assert reverse("clients:import-upload") in page
    assert "Import from a spreadsheet" in page


def test_it_serves_a_template_with_the_header_row(as_user, intake_user):
    response = as_user(intake_user).get(reverse("clients:import-template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode("utf-8-sig").strip() == (
        "given_names,paternal_surname,maternal_surname,aliases,date_of_birth,country_of_nationality,"
        "a_number,phone,language,last_arrival_date"
    )


def test_it_lists_recent_imports_in_a_fixed_number_of_queries(
    as_user, intake_user, validated, django_assert_num_queries
):
    signed_in = as_user(intake_user)
    signed_in.get(reverse("clients:import-upload"))  # the first request also records the session's activity
    # The user with membership (the session comes from the cache), the recent imports with their uploader.
    with django_assert_num_queries(2):
        page = signed_in.get(reverse("clients:import-upload")).content.decode()
    assert reverse("clients:import-detail", args=[validated.pk]) in page


# Upload, preview, import


def test_it_uploads_previews_and_imports_all(upload, run, intake_user, attorney, media_root):
    content = csv_bytes(GOOD_ROWS, delimiter=";")
    client_import = upload(intake_user, content, "Clientes enero.csv")
    client_import.refresh_from_db()
    assert client_import.status == Status.VALIDATED
    assert (client_import.total_rows, client_import.valid_rows, client_import.errors) == (3, 3, [])
    assert [row["given_names"] for row in client_import.preview] == ["Rosa Elena", "José", "Marie"]
    assert client_import.original_name == "Clientes enero.csv"
    stored = media_root / client_import.file.name
    assert stored.read_bytes() == content
    assert client_import.file.name.startswith("imports/")
    assert "Clientes" not in client_import.file.name  # a random name on disk

    response = run(attorney, client_import, "all")
    client_import.refresh_from_db()
    assert client_import.status == Status.DONE
    assert client_import.imported_count == 3
    assert client_import.mode == ClientImport.Mode.ALL
    assert client_import.finished_at is not None
    assert client_import.imported_by == attorney
    # The spreadsheet holds clients' data: once imported it is deleted.
    assert client_import.file.name == ""
    assert not stored.exists()
    assert "3 clients were added." in response.content.decode()
    rosa = Client.objects.get(given_names="Rosa Elena")
    assert (rosa.clinic_id, rosa.created_by, rosa.a_number) == (client_import.clinic_id, attorney, "123456789")
    assert rosa.country_of_nationality == "MX"
    assert list(rosa.aliases.values_list("name", flat=True)) == ["Rosita", "La Güera"]
    jose = Client.objects.get(given_names="José")
    assert (jose.preferred_language, str(jose.date_of_birth), str(jose.last_entry_date)) == (
        "quc",
        "1990-07-04",
        "2023-06-30",
    )


def test_it_shows_counts_problems_unknown_columns_and_the_first_rows(upload, as_user, intake_user):
    header = ["given_names", "a_number", "country_of_nationality", "notes"]
    content = csv_bytes([["Ana", "A123456789", "México", "x"], ["Luis", "A12B", "MX", ""]], header=header)
    client_import = upload(intake_user, content)
    page = as_user(intake_user).get(reverse("clients:import-detail", args=[client_import.pk])).content.decode()
    assert "Rows with problems" in page
    assert "<code>a_number</code>" in page
    assert "An A-number has only digits after the A" in page
    assert "“notes” is not one the import knows; it was ignored" in page
    # The preview, as it will be saved.
    assert "A-123-456-789" in page
    assert "Mexico" in page
    assert "Import only the valid row<" in page
    assert 'value="all"' not in page


def test_it_reads_an_xlsx_upload(upload, intake_user):
    client_import = upload(intake_user, xlsx_bytes(GOOD_ROWS), "clients.xlsx")
    client_import.refresh_from_db()
    assert (client_import.status, client_import.valid_rows) == (Status.VALIDATED, 3)
    assert client_import.file.name.endswith(".xlsx")


def test_it_refuses_to_import_all_when_a_row_is_bad_but_imports_the_valid_ones(upload, run, intake_user):
    client_import = upload(intake_user, csv_bytes([*GOOD_ROWS, BAD_ROW]))
    client_import.refresh_from_db()
    assert (client_import.total_rows, client_import.valid_rows) == (4, 3)
    assert client_import.errors == [
        {"row": 5, "column": "a_number", "message": "An A-number has only digits after the A, like A-123-456-789."}
    ]

    response = run(intake_user, client_import, "all")
    assert "Some rows have problems" in response.content.decode()
    client_import.refresh_from_db()
    assert client_import.status == Status.VALIDATED
    assert Client.objects.count() == 0

    response = run(intake_user, client_import, "valid_only")
    client_import.refresh_from_db()
    assert (client_import.status, client_import.imported_count) == (Status.DONE, 3)
    assert sorted(Client.objects.values_list("given_names", flat=True)) == ["José", "Marie", "Rosa Elena"]
    assert "The row with problems was skipped." in response.content.decode()


def test_it_names_the_existing_client_with_the_same_a_number(upload, as_user, intake_user, client_record):
    client_import = upload(intake_user, csv_bytes([row(given_names="Ana", a_number="A012345678")]))
    client_import.refresh_from_db()
    assert client_import.errors == [
        {
            "row": 2,
            "column": "a_number",
            "message": f"A client of this clinic already has the A-number A-012-345-678: Ana María López Reyes "
            f"(client {client_record.pk}).",
        }
    ]


def test_it_does_not_see_another_clinics_a_numbers(upload, intake_user, other_clients_record):
    client_import = upload(intake_user, csv_bytes([row(given_names="Pedro", a_number="A087654321")]))
    client_import.refresh_from_db()
    assert (client_import.valid_rows, client_import.errors) == (1, [])


def test_it_saves_nothing_when_a_row_fails_mid_import(upload, run, intake_user, monkeypatch):
    client_import = upload(intake_user, csv_bytes(GOOD_ROWS))
    # One client a batch, and the third batch fails after the first two were written.
    monkeypatch.setattr(services, "BULK_BATCH_SIZE", 1)
    real_index, calls = services.name_index.bulk_index, []

    def index_then_fail(records):
        calls.append(records)
        if len(calls) == 3:
            raise ValidationError({"given_names": "The database said no."})
        return real_index(records)

    monkeypatch.setattr(services.name_index, "bulk_index", index_then_fail)
    response = run(intake_user, client_import, "all")
    client_import.refresh_from_db()
    assert client_import.status == Status.FAILED
    assert client_import.failure_message == "Row 4: The database said no. Nothing was imported."
    assert (Client.objects.count(), ClientAlias.objects.count()) == (0, 0)
    assert not AuditEvent.objects.filter(object_type="clients.client").exists()
    assert "This file could not be used" in response.content.decode()


def test_it_saves_nothing_when_something_unexpected_breaks(upload, run, intake_user, monkeypatch):
    client_import = upload(intake_user, csv_bytes(GOOD_ROWS))
    monkeypatch.setattr(services, "BULK_BATCH_SIZE", 1)
    real_index, calls = services.name_index.bulk_index, []

    def index_then_break(records):
        calls.append(records)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_index(records)

    monkeypatch.setattr(services.name_index, "bulk_index", index_then_break)
    run(intake_user, client_import, "all")
    client_import.refresh_from_db()
    assert client_import.status == Status.FAILED
    assert client_import.failure_message == "Something went wrong during the import. Nothing was imported."
    assert Client.objects.count() == 0


def test_it_refuses_the_import_when_a_client_was_added_since_the_check(upload, run, intake_user):
    client_import = upload(intake_user, csv_bytes(GOOD_ROWS))
    services.client_create(actor=intake_user, data={"given_names": "Otra", "a_number": "123456789"})
    run(intake_user, client_import, "all")
    client_import.refresh_from_db()
    assert client_import.status == Status.FAILED
    assert "The rows are not as they were when the file was checked. Row 2:" in client_import.failure_message
    assert Client.objects.count() == 1


def test_it_imports_nothing_when_the_importer_lost_access_meanwhile(upload, as_user, intake_user, monkeypatch):
    client_import = upload(intake_user, csv_bytes(GOOD_ROWS))
    monkeypatch.setattr("clients.import_services.transaction.on_commit", lambda callback: None)
    as_user(intake_user).post(reverse("clients:import-run", args=[client_import.pk]), {"mode": "all"})
    Membership.objects.filter(user=intake_user).update(role=Role.CLINIC_ADMIN)
    import_services.client_import_run(import_id=client_import.pk, actor_id=intake_user.pk)
    client_import.refresh_from_db()
    assert client_import.status == Status.FAILED
    assert client_import.failure_message.startswith("The person who started the import may no longer add clients.")
    assert Client.objects.count() == 0


def test_it_queues_an_import_only_once(upload, run, intake_user, supervisor):
    client_import = upload(intake_user, csv_bytes(GOOD_ROWS))
    run(intake_user, client_import, "all")
    response = run(supervisor, client_import, "all")
    assert "being imported already, or it cannot be imported any more" in response.content.decode()
    assert Client.objects.count() == 3


def test_it_fails_a_file_it_cannot_use_with_the_reason(upload, as_user, intake_user):
    # A file too large or no spreadsheet is refused at upload (tests/security/test_uploads.py);
    # what only its rows show is the task's to find.
    client_import = upload(intake_user, csv_bytes([]))
    client_import.refresh_from_db()
    assert client_import.status == Status.FAILED
    assert client_import.failure_message == "The file has a header row but no clients under it."
    page = as_user(intake_user).get(reverse("clients:import-detail", args=[client_import.pk])).content.decode()
    assert "This file could not be used" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Choose the file to upload."), ({"file": SimpleUploadedFile("clients.csv", b"")}, "This file is empty.")],
)
def test_it_asks_for_a_file_with_something_in_it(as_user, intake_user, data, message):
    response = as_user(intake_user).post(reverse("clients:import-upload"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ClientImport.objects.exists()


def test_it_discards_an_upload_and_its_file(
    as_user, intake_user, validated, media_root, django_capture_on_commit_callbacks
):
    stored = media_root / validated.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(intake_user).post(reverse("clients:import-discard", args=[validated.pk]))
    assert response.url == reverse("clients:import-upload")
    assert not ClientImport.objects.exists()
    assert not stored.exists()


def test_it_refuses_to_discard_an_imported_file(as_user, intake_user, validated):
    ClientImport.objects.filter(pk=validated.pk).update(status=Status.DONE)
    response = as_user(intake_user).post(reverse("clients:import-discard", args=[validated.pk]), follow=True)
    assert "cannot be discarded" in response.content.decode()
    assert ClientImport.objects.filter(pk=validated.pk).exists()


def test_it_downloads_every_problem_as_csv(as_user, attorney, validated):
    ClientImport.objects.filter(pk=validated.pk).update(
        errors=[{"row": 5, "column": "country_of_nationality", "message": "=HYPERLINK(1) is not a country"}]
    )
    response = as_user(attorney).get(reverse("clients:import-problems", args=[validated.pk]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == ["Row,Column,Problem", "5,country_of_nationality,'=HYPERLINK(1) is not a country"]
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.DOWNLOAD, object_label=f"ClientImport {validated.pk}"
    ).exists()


def test_it_audits_the_upload_and_the_import_without_names(upload, run, intake_user):
    client_import = upload(intake_user, csv_bytes(GOOD_ROWS), "Rosa Pérez.csv")
    run(intake_user, client_import, "all")
    events = AuditEvent.objects.filter(object_type="clients.clientimport").order_by("id")
    assert [(event.action, event.summary) for event in events] == [
        ("create", "Uploaded a spreadsheet of clients"),
        ("update", "Import started: all"),
        ("create", "Imported 3 clients"),
    ]
    for event in events:
        assert event.object_label == f"ClientImport {client_import.pk}"
        assert event.actor == intake_user
        assert "Rosa" not in f"{event.summary} {event.object_label} {event.changes}"


# Progress


def test_it_shows_progress_while_a_task_checks_the_file(as_user, intake_user, validated):
    ClientImport.objects.filter(pk=validated.pk).update(status=Status.VALIDATING)
    cache.set(progress_key(validated.pk), {"phase": "validating", "done": 400, "total": 1000})
    try:
        response = as_user(intake_user).get(
            reverse("clients:import-progress", args=[validated.pk]), HTTP_HX_REQUEST="true"
        )
    finally:
        cache.delete(progress_key(validated.pk))
    fragment = response.content.decode()
    assert '<progress class="w-100" max="1000" value="400"' in fragment
    assert 'hx-trigger="every 2s"' in fragment
    assert "400 of 1,000 rows" in fragment
    assert "HX-Refresh" not in response
    assert "style=" not in fragment  # the Content Security Policy forbids inline styles


def test_it_shows_progress_while_importing(as_user, intake_user, validated):
    ClientImport.objects.filter(pk=validated.pk).update(status=Status.IMPORTING)
    cache.set(progress_key(validated.pk), {"phase": "importing", "done": 200, "total": 3})
    try:
        page = as_user(intake_user).get(reverse("clients:import-detail", args=[validated.pk])).content.decode()
    finally:
        cache.delete(progress_key(validated.pk))
    assert "Creating the clients" in page
    assert reverse("clients:import-progress", args=[validated.pk]) in page


def test_it_shows_reading_the_file_before_the_rows_are_counted(as_user, intake_user, validated):
    ClientImport.objects.filter(pk=validated.pk).update(status=Status.VALIDATING, total_rows=0)
    fragment = as_user(intake_user).get(reverse("clients:import-progress", args=[validated.pk])).content.decode()
    assert "Reading the file" in fragment
    assert 'hx-trigger="every 2s"' in fragment


def test_it_reloads_the_page_once_the_task_is_done(as_user, intake_user, validated):
    response = as_user(intake_user).get(reverse("clients:import-progress", args=[validated.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def test_it_writes_progress_to_the_cache_as_it_goes(upload, intake_user, monkeypatch):
    written, real_set = [], import_services.cache.set

    def record_and_write(key, value, timeout):
        # The real cache still gets every write; the test only keeps a copy to see them in order.
        written.append((key, value))
        real_set(key, value, timeout)

    monkeypatch.setattr(import_services.cache, "set", record_and_write)
    client_import = upload(intake_user, csv_bytes([row(given_names=f"Person {n}") for n in range(450)]))
    progress = [value for key, value in written if key == progress_key(client_import.pk)]  # not sessions
    assert progress[-1] == {"phase": "validating", "done": 450, "total": 450}
    assert [value["done"] for value in progress] == [0, 200, 400, 450]
    assert cache.get(progress_key(client_import.pk)) is None  # removed when the task ends

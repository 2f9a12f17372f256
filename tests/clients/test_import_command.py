"""`manage.py import_clients FILE --clinic SLUG [--dry-run] [--user USERNAME]`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clients.models import Client, ClientAlias
from clinic.models import AuditEvent, Membership
from tests.clients.import_files import GOOD_ROWS, HEADER, csv_bytes, row, xlsx_bytes
from tests.factories import staff_member

Role = Membership.Role


@pytest.fixture
def spreadsheet(tmp_path):
    """spreadsheet(content, name) -> the path of a file holding `content`."""

    def write(content: bytes, name: str = "clients.csv") -> str:
        path = tmp_path / name
        path.write_bytes(content)
        return str(path)

    return write


def import_clients(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_clients", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_checks_a_dry_run_and_saves_nothing(spreadsheet, clinic, supervisor):
    out, _err = import_clients(spreadsheet(csv_bytes(GOOD_ROWS)), "--clinic", clinic.slug, "--dry-run")
    assert "Would import 3 clients:" in out
    assert "Row 2: Rosa Elena Pérez López, born 1988-03-14, MX, A-123-456-789, es, aliases: Rosita; La Güera" in out
    assert "Dry run: all 3 rows are valid. Nothing was saved." in out
    assert Client.objects.count() == 0
    assert not AuditEvent.objects.filter(clinic=clinic).exists()


def test_it_prints_each_problem_and_exits_1_on_a_dry_run_with_bad_rows(spreadsheet, clinic, supervisor):
    path = spreadsheet(csv_bytes([*GOOD_ROWS, row(given_names="Luis", a_number="A12B", language="Klingon")]))
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 4 rows have problems: a real run would import nothing") as raised:
        call_command("import_clients", path, "--clinic", clinic.slug, "--dry-run", stdout=out, stderr=StringIO())
    assert raised.value.returncode == 1
    assert "Row 5, language: “Klingon” is not a language we know." in out.getvalue()
    assert "Row 5, a_number: An A-number has only digits after the A" in out.getvalue()
    assert "3 rows are valid:" in out.getvalue()
    assert Client.objects.count() == 0


def test_it_imports_nothing_and_exits_1_when_a_row_is_bad(spreadsheet, clinic, supervisor):
    path = spreadsheet(
        csv_bytes([*GOOD_ROWS, row(given_names="Luis", date_of_birth="2000-01-01", last_arrival_date="1999-01-01")])
    )
    out = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 1 of 4 rows have problems") as raised:
        call_command("import_clients", path, "--clinic", clinic.slug, stdout=out, stderr=StringIO())
    assert raised.value.returncode == 1
    assert "Row 5, last_arrival_date: The date of entry cannot be before the date of birth." in out.getvalue()
    assert Client.objects.count() == 0


def test_it_imports_a_good_file_as_the_first_supervisor(spreadsheet, clinic, supervisor):
    staff_member(clinic, Role.SUPERVISOR, username="later-supervisor")
    out, err = import_clients(spreadsheet(xlsx_bytes(GOOD_ROWS), "clients.xlsx"), "--clinic", clinic.slug)
    assert f"Imported 3 clients into {clinic.name}, as {supervisor.username}." in out
    assert err == ""
    assert set(Client.objects.values_list("clinic", "created_by")) == {(clinic.pk, supervisor.pk)}
    assert ClientAlias.objects.count() == 2
    event = AuditEvent.objects.get(object_label="import_clients command")
    assert (event.actor, event.clinic, event.summary) == (
        supervisor,
        clinic,
        "Imported 3 clients from a spreadsheet on the command line",
    )


def test_it_imports_as_the_user_named(spreadsheet, clinic, supervisor, intake_user):
    _out, err = import_clients(
        spreadsheet(csv_bytes([[*GOOD_ROWS[0], "x"]], header=[*HEADER, "notes"])),
        "--clinic",
        clinic.slug,
        "--user",
        intake_user.username,
    )
    assert Client.objects.get().created_by == intake_user
    assert "Ignored columns: notes." in err


def test_it_refuses_a_duplicate_of_an_existing_client(spreadsheet, clinic, supervisor, client_record):
    path = spreadsheet(csv_bytes([row(given_names="Ana", a_number="12345678")]))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_clients", path, "--clinic", clinic.slug, stdout=out, stderr=StringIO())
    assert (
        f"already has the A-number A-012-345-678: Ana María López Reyes (client {client_record.pk})" in out.getvalue()
    )
    assert Client.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clinic", "nowhere"], "No clinic has the short name “nowhere”."),
        (["--clinic", "las-americas-test", "--user", "ghost"], "“ghost” is not an active staff member"),
        (["--clinic", "las-americas-test", "--user", "la-clinic_admin"], "has no access to clients"),
        (["--clinic", "las-americas-test", "--user", "br-supervisor"], "is not an active staff member"),
    ],
)
def test_it_explains_a_wrong_clinic_or_user(spreadsheet, staff, outsiders, args, message):
    with pytest.raises(CommandError, match=message):
        import_clients(spreadsheet(csv_bytes(GOOD_ROWS)), *args)
    assert Client.objects.count() == 0


def test_it_explains_a_missing_or_unreadable_file(spreadsheet, clinic, supervisor, tmp_path):
    with pytest.raises(CommandError, match=f"No file at {tmp_path}/missing.csv."):
        import_clients(str(tmp_path / "missing.csv"), "--clinic", clinic.slug)
    with pytest.raises(CommandError, match="has no “given_names” column"):
        import_clients(spreadsheet(csv_bytes([["x"]], header=["name"])), "--clinic", clinic.slug)


def test_it_needs_a_supervisor_when_no_user_is_named(spreadsheet, clinic):
    staff_member(clinic, Role.INTAKE, username="only-intake")
    with pytest.raises(CommandError, match="has no active supervisor; name a staff member with --user"):
        import_clients(spreadsheet(csv_bytes(GOOD_ROWS)), "--clinic", clinic.slug)


def test_it_says_which_user_is_used_by_default_in_its_help(capsys):
    with pytest.raises(SystemExit):
        call_command("import_clients", "--help")
    assert "active supervisor who joined it first" in " ".join(capsys.readouterr().out.split())

"""Bad input never crashes the intake desk: every form and search of the clients app, fed
arbitrary text (unicode, control characters, NUL bytes, right-to-left marks, emoji, very long
strings, SQL and HTML), dates (valid, impossible, far past and future, other formats) and numbers,
by a user allowed to use it. The answer is a form error or a success, never a 500; a form shown
again wrote nothing; a success wrote its records with their audit event (tests/property/harness.py).

Covered (clients/urls.py), as the role that uses each:
- forms: walk-in-create, walk-in-edit, walk-in-status (with a posted `next`), walk-in-appointment, conflict-check,
  conflict-check-decide, client-create (with its address), client-edit, client-move, alias-create,
  family-create (intake staff, who may not record family abroad, and attorneys), family-edit,
  adverse-create, adverse-edit, import-upload (any bytes under any name; the upload refuses what
  is no spreadsheet, and the import's task checks the rest and its page is drawn), import-run;
- searches and lists: intake-desk (?period), walk-in-list (?week, date_from, date_to, status,
  page), client-list (?q, after_name, after_id), also with NUL bytes in the raw query string;
- printouts: walk-in-slip and walk-in-slip-pdf (?lang).

Left out, because they read no input but the ids in their address (which the URL patterns
already restrict to digits): walk-in-detail, walk-in-conflict-check, walk-in-accept,
conflict-check-detail, client-detail, alias-delete, family-delete, adverse-delete,
import-template, import-detail and import-progress (both requested after each upload above),
import-discard, import-problems. Who may reach each is the authorization matrix's subject."""

import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from hypothesis import given
from hypothesis import strategies as st

from clients.forms import (
    AddressForm,
    AdversePartyForm,
    AliasForm,
    ClientForm,
    ConflictDecisionForm,
    ConflictQueryForm,
    FamilyMemberForm,
    OptionalAddressForm,
    WalkInAppointmentForm,
    WalkInForm,
    WalkInStatusForm,
)
from clients.import_forms import ClientImportRunForm
from clients.models import ClientImport
from clinic.models import Membership
from tests.property.harness import Target, exchange, get_drawn, judge_post, post_drawn
from tests.property.strategies import query_params, text

Role = Membership.Role
pytestmark = pytest.mark.django_db

TARGETS = [
    Target("clients:walk-in-create", Role.INTAKE, forms=lambda w: [WalkInForm()],
           valid=lambda w: {"given_names": "Marisol"}, creates="clients_walkin"),
    Target("clients:walk-in-edit", Role.INTAKE, args=lambda w: [w.walk_in.pk],
           forms=lambda w: [WalkInForm(instance=w.walk_in)]),
    Target("clients:walk-in-status", Role.INTAKE, args=lambda w: [w.walk_in.pk], forms=lambda w: [WalkInStatusForm()],
           shows_errors=False),
    Target("clients:walk-in-appointment", Role.INTAKE, args=lambda w: [w.walk_in.pk],
           forms=lambda w: [WalkInAppointmentForm(prefix=WalkInAppointmentForm.PREFIX)],
           valid=lambda w: {"appointment-consultation_at": f"{_soon(w)}T10:30"}),
    Target("clients:conflict-check", Role.INTAKE, forms=lambda w: [ConflictQueryForm()],
           valid=lambda w: {"given_names": "Rosa María", "paternal_surname": "López"},
           creates="clients_conflictcheck"),
    Target("clients:conflict-check-decide", Role.ATTORNEY, args=lambda w: [w.check.pk],
           forms=lambda w: [ConflictDecisionForm(can_waive=True)], shows_errors=False),
    Target("clients:conflict-check-decide", Role.INTAKE, args=lambda w: [w.check.pk],
           forms=lambda w: [ConflictDecisionForm(can_waive=False)], shows_errors=False),
    Target("clients:client-create", Role.INTAKE, forms=lambda w: [ClientForm(), OptionalAddressForm(prefix="address")],
           valid=lambda w: {"given_names": "Rosa", "address-state": "TX"}, creates="clients_client"),
    Target("clients:client-edit", Role.INTAKE, args=lambda w: [w.client.pk],
           forms=lambda w: [ClientForm(instance=w.client)]),
    Target("clients:client-move", Role.INTAKE, args=lambda w: [w.client.pk], forms=lambda w: [AddressForm()],
           valid=lambda w: {"line1": "5 Oak St", "city": "El Paso", "state": "TX", "zip_code": "79902",
                            "moved_on": w.today.isoformat()}),
    Target("clients:alias-create", Role.INTAKE, args=lambda w: [w.client.pk], forms=lambda w: [AliasForm()],
           shows_errors=False),
    Target("clients:family-create", Role.INTAKE, args=lambda w: [w.client.pk],
           forms=lambda w: [FamilyMemberForm(allow_abroad=False)], creates="clients_familymember"),
    Target("clients:family-create", Role.ATTORNEY, args=lambda w: [w.client.pk],
           forms=lambda w: [FamilyMemberForm(allow_abroad=True)], creates="clients_familymember"),
    Target("clients:family-edit", Role.ATTORNEY, args=lambda w: [w.client.pk, w.member.pk],
           forms=lambda w: [FamilyMemberForm(instance=w.member, allow_abroad=True)]),
    Target("clients:adverse-create", Role.ATTORNEY, args=lambda w: [w.client.pk], forms=lambda w: [AdversePartyForm()],
           creates="clients_adverseparty"),
    Target("clients:adverse-edit", Role.ATTORNEY, args=lambda w: [w.client.pk, w.party.pk],
           forms=lambda w: [AdversePartyForm(instance=w.party)]),
    Target("clients:import-run", Role.INTAKE, args=lambda w: [w.client_import.pk],
           forms=lambda w: [ClientImportRunForm()], shows_errors=False),
]  # fmt: skip


def _soon(w, days=14) -> str:
    return (w.today + timedelta(days=days)).isoformat()


# The printouts read one parameter, ?lang (any other value than es or en: the person's language).
PRINTOUTS = ("clients:walk-in-slip", "clients:walk-in-slip-pdf")

SEARCHES = {
    "clients:intake-desk": ["period"],
    "clients:walk-in-list": ["week", "date_from", "date_to", "status", "page"],
    "clients:client-list": ["q", "after_name", "after_id"],
}

LEFT_OUT = {
    "walk-in-detail", "walk-in-conflict-check", "walk-in-accept", "conflict-check-detail", "client-detail",
    "alias-delete", "family-delete", "adverse-delete", "import-template", "import-detail", "import-progress",
    "import-discard", "import-problems",
}  # fmt: skip


def test_every_view_of_the_app_is_covered_or_left_out_with_a_reason():
    names = set(get_resolver().namespace_dict["clients"][1].reverse_dict.keys()) - {None}
    names = {name for name in names if isinstance(name, str)}
    covered = {target.url_name.split(":")[1] for target in TARGETS} | {name.split(":")[1] for name in SEARCHES}
    covered |= {name.split(":")[1] for name in PRINTOUTS}
    covered.add("import-upload")
    assert names == covered | LEFT_OUT, (names - covered - LEFT_OUT, (covered | LEFT_OUT) - names)


@pytest.mark.parametrize("target", TARGETS, ids=str)
@given(data=st.data())
def test_a_form_answers_an_error_or_a_whole_success(world, as_user, target, data):
    post_drawn(as_user(world.user(target.role)), world, target, data)


@pytest.mark.parametrize("name", list(SEARCHES))
@given(data=st.data())
def test_a_search_or_list_page_reads_any_query(world, as_user, name, data):
    params = data.draw(query_params(SEARCHES[name]), label="query")
    get_drawn(as_user(world.user(Role.INTAKE)), name, reverse(name), params)


@pytest.mark.parametrize("name", PRINTOUTS)
@given(data=st.data())
def test_a_printout_reads_any_language(world, as_user, name, data):
    params = data.draw(query_params(["lang"]), label="query")
    get_drawn(as_user(world.user(Role.INTAKE)), name, reverse(name, args=[world.walk_in.pk]), params)


# The import: any file under any name. A browser sends the name in a quoted header: no quotes,
# slashes or line breaks reach the server in it.
file_names = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='"\\/'), min_size=1, max_size=60
) | st.sampled_from(["clients.csv", "clients.xlsx", "CLIENTS.CSV", ".csv", "clients.csv.exe", "x.xlsx"])


def _csv(rows: list[list[str]], encoding: str, delimiter: str) -> bytes:
    lines = [delimiter.join(row) for row in rows]
    return "\r\n".join(lines).encode(encoding, errors="replace")


cells = st.one_of(text, st.sampled_from(["", "1990-01-01", "31/12/9999", "A-123-456-789", "MX", "es", "x;y"]))
header = st.lists(
    st.sampled_from(["given_names", "paternal_surname", "date_of_birth", "a_number", "phone", "aliases"]) | text,
    min_size=1,
    max_size=8,
)
spreadsheets = st.one_of(
    st.binary(max_size=2000),
    st.builds(
        _csv,
        st.tuples(header, st.lists(st.lists(cells, max_size=10), max_size=8)).map(lambda pair: [pair[0], *pair[1]]),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]),
        st.sampled_from([",", ";", "\t", "|"]),
    ),
    st.sampled_from([b"PK\x03\x04garbage", b"\xef\xbb\xbf", b"given_names\r\n", b"\x00" * 100, b"\xff\xfe\x00"]),
)


@given(name=file_names, content=spreadsheets)
def test_an_uploaded_spreadsheet_is_refused_or_checked_never_a_crash(world, as_user, caplog, name, content):
    """The upload refuses, with a form error, a file that is too large or no spreadsheet; the task
    then checks the others row by row and must end in a list of problems or a refusal of the whole
    file, never in a crash of its own; the import's page then shows whichever it is."""
    from clients import import_services

    client = as_user(world.user(Role.INTAKE))
    target = Target("clients:import-upload", Role.INTAKE, creates="clients_clientimport")
    caplog.clear()

    def check_and_show(response):
        if response.status_code != 302:
            return
        upload = ClientImport.objects.latest("pk")
        with caplog.at_level(logging.ERROR, logger="clients"):
            import_services.client_import_check(import_id=upload.pk)
        assert not [record for record in caplog.records if record.levelno >= logging.ERROR], caplog.text
        upload.refresh_from_db()
        assert upload.status in (ClientImport.Status.VALIDATED, ClientImport.Status.FAILED)
        for page in ("clients:import-detail", "clients:import-progress"):
            assert client.get(reverse(page, args=[upload.pk])).status_code == 200

    upload = SimpleUploadedFile(name, content)
    response, changed, audited, before, after = exchange(
        lambda: client.post(reverse("clients:import-upload"), {"file": upload}), after_response=check_and_show
    )
    judge_post(target, response, changed, audited, before, after)


# NUL bytes and unicode in the raw query string, as a script (not a browser) sends them.
RAW_QUERIES = [
    "q=%00", "q=Jos%C3%A9%00", "q=%E2%80%8F%F0%9F%98%80", "q=%FF%FE", "q=%C0%80", "q=' OR 1=1 --",
    "after_name=%00&after_id=1", "after_name=a&after_id=99999999999999999999999", "after_id=%D9%A3",
    "week=%00", "date_from=2026-01-01%00&date_to=2026-01-02", "status=%00", "page=%00", "page=-1",
    "period=%00", "week=9999-12-31", "date_from=0001-01-01&date_to=0001-12-31",
]  # fmt: skip


@pytest.mark.parametrize("name", list(SEARCHES))
@pytest.mark.parametrize("query", RAW_QUERIES)
def test_nul_bytes_and_unicode_in_the_query_string(world, as_user, name, query):
    client = as_user(world.user(Role.INTAKE))
    get_drawn(client, name, f"{reverse(name)}?{query}", {})

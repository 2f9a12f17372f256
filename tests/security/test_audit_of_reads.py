"""Every look at a record is on the record (8 CFR 208.6): each page that shows, and each file that
exports, prints or downloads, a client, a walk-in, a conflict check, a case (any of its pages), a
claim, an evidence document or a report writes exactly one audit event, naming what was read, who
read it and in which clinic.

READS says which URLs read a record and which event each writes; NOT_READS lists, with the reason,
the URLs that look like a read but show no record. A URL that looks like a read (one record of a
client or a case in its route, "export", "download", "print" or "report" in its name, or a file at
the end of its route) and that answers GET must be in one of them, so a new read cannot escape the
test. Each read is asked by every member of the record's clinic who may open it (the authorization
matrix's own table says who), in the matrix's world, and the events it wrote are compared.
"""

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from cases.deadline_services import clinic_today
from cases.models import Case, Claim, Evidence, Hearing
from clients.models import Client, ClientImport, ConflictCheck, WalkIn
from clinic.dashboard import TABLE_KEYS
from clinic.models import AuditEvent, Clinic
from tests.security import test_authorization_matrix as matrix
from tests.security.authorization_table import HOME, NOT_ALLOWED, OK, TABLE

Action = AuditEvent.Action

# The matrix's world (two clinics, their staff, one of every record a URL can name), built once for
# this module inside a transaction that is rolled back at its end.
world = matrix.world

# ---- which URLs read a record, and what they write -----------------------------------------------

# URL name -> (the event's action, what it names: a model, whose record of the world the URL reads,
# or the label of a report, which reads many records and names none).
READS = {
    # ---- intake desk and clients
    "clients:client-detail": (Action.VIEW, Client),
    "clients:walk-in-detail": (Action.VIEW, WalkIn),  # the person, and their checks' matches
    "clients:conflict-check-detail": (Action.VIEW, ConflictCheck),
    "clients:import-detail": (Action.VIEW, ClientImport),  # quotes the file's problems
    "clients:import-problems": (Action.DOWNLOAD, ClientImport),
    # The slip a walk-in takes home, and the notice of a hearing for the client: page and PDF.
    "clients:walk-in-slip": (Action.PRINT, WalkIn),
    "clients:walk-in-slip-pdf": (Action.PRINT, WalkIn),
    # ---- a case's pages
    "cases:case-detail": (Action.VIEW, Case),  # the overview, with the deadlines
    "cases:hearings": (Action.VIEW, Case),
    "cases:notes": (Action.VIEW, Case),
    "cases:claim": (Action.VIEW, Claim),
    # The claim's edit pages show its narratives too.
    "cases:claim-grounds": (Action.VIEW, Claim),
    "cases:claim-elements": (Action.VIEW, Claim),
    "cases:claim-one-year": (Action.VIEW, Claim),
    "cases:claim-persecutors": (Action.VIEW, Claim),
    "cases:claim-bars": (Action.VIEW, Claim),
    "cases:claim-incident-create": (Action.VIEW, Claim),
    "cases:claim-incident-edit": (Action.VIEW, Claim),
    "cases:evidence": (Action.VIEW, Case),
    "cases:evidence-matrix": (Action.VIEW, Case),
    "cases:exhibits": (Action.VIEW, Case),
    "cases:exhibit-index": (Action.EXPORT, Case),  # the PDF for the court
    "cases:evidence-download": (Action.DOWNLOAD, Evidence),
    "cases:hearing-notice": (Action.PRINT, Hearing),
    "cases:hearing-notice-pdf": (Action.PRINT, Hearing),
    # ---- reports and exports (supervisors)
    "reports:closing": (Action.VIEW, "Case-closing report"),
    "reports:closing-export": (Action.EXPORT, "Case-closing report"),
    "reports:case-export": (Action.EXPORT, "Case list"),
    "reports:dashboard-export": (Action.EXPORT, f"Dashboard: {TABLE_KEYS[0]}"),
}

# Which record of the world (matrix.build_world's `records`) each model's URL reads.
RECORD_OF = {
    Client: "client",
    WalkIn: "walk_in",
    ConflictCheck: "conflict_check",
    ClientImport: "client_import",
    Case: "case",
    Claim: "claim",
    Evidence: "evidence",
    Hearing: "hearing",
}

# Forms that change a record: the page shows the fields it changes, and is opened from the record's
# own page, whose look is on the record; what the form changes is audited as a create, an update or a
# delete. A confirmation page (deleting a hearing, removing an event) is a form too.
FORM = "a form to change the record; the change is audited, the record's own page is the read"

NOT_READS = {
    "clients:walk-in-edit": FORM,
    "clients:walk-in-appointment": FORM,
    "clients:client-edit": FORM,
    "clients:client-move": FORM,
    "clients:family-create": FORM,
    "clients:family-edit": FORM,
    "clients:adverse-create": FORM,
    "clients:adverse-edit": FORM,
    "cases:case-open": FORM,  # a new case for the client
    "cases:case-edit": FORM,
    "cases:case-team": FORM,
    "cases:case-reassign": FORM,
    "cases:relief-edit": FORM,
    "cases:case-outcome": FORM,
    "cases:case-close": FORM,
    "cases:evidence-edit": FORM,
    "cases:hearing-add": FORM,
    "cases:hearing-edit": FORM,
    "cases:hearing-result": FORM,
    "cases:hearing-delete": FORM,
    "cases:deadline-judge-order": FORM,
    "cases:deadline-event-add": FORM,
    "cases:deadline-event-remove": FORM,
    "cases:deadline-clock-stop": FORM,
    "cases:deadline-clock-resume": FORM,
    "clients:import-progress": "polled every 2 s while a file is checked or imported: counts of rows, nothing of the file",
    "clients:import-template": "a blank spreadsheet: the column names, no record",
    # design.md: feeds carry case numbers and hearing kinds, never a client's name or anything else of
    # the case; issuing and revoking its secret address are audited (cases/feed_services.py).
    "cases:feed-ics": "the calendar feed, polled by calendar programs without a session",
}

RECORD_NAMESPACES = ("clients", "cases")
READ_WORDS = ("export", "download", "print", "report")


def serves_a_file(route: str) -> bool:
    """Whether a route ends in a file name: template.csv, index.pdf, <key>.<fmt>, <token>.ics."""
    return "." in route.replace("\\.", ".").rstrip("$").rsplit("/", 1)[-1]


def looks_like_a_read(name: str) -> bool:
    """A URL that answers GET and shows one client's or case's record, or a file, or a report."""
    namespace = name.partition(":")[0] if ":" in name else ""
    looks = (
        (namespace in RECORD_NAMESPACES and matrix.names_a_record(name))
        or any(word in name for word in READ_WORDS)
        or serves_a_file(matrix.PATTERNS[name].route)
    )
    return looks and TABLE[name].get != NOT_ALLOWED


def test_every_url_that_looks_like_a_read_is_in_reads_or_left_out_with_a_reason():
    looking = {name for name in matrix.PATTERNS if looks_like_a_read(name)}
    unlisted = sorted(looking - set(READS) - set(NOT_READS))
    assert not unlisted, f"Add these URLs to READS (with their audit event) or to NOT_READS (with why): {unlisted}"
    assert not set(READS) & set(NOT_READS)
    stale = sorted(set(NOT_READS) - looking)
    assert not stale, f"These entries of NOT_READS name no URL that looks like a read (any more): {stale}"
    missing = sorted(set(READS) - set(matrix.PATTERNS))
    assert not missing, f"These entries of READS name no URL any more: {missing}"


# ---- the reads -----------------------------------------------------------------------------------


def readers(name: str) -> list[str]:
    """Every member of the record's clinic who may open the URL, as the matrix asks it: an attorney
    off the case (reading it) only where the table tells them apart from the case's attorney."""
    return [
        actor for actor in matrix.visitors(name, "get") if actor in HOME and matrix.expected(name, "get", actor) == OK
    ]


def query_of(world, name: str) -> dict:
    """The closing report's period: this year so far, in the clinic's own calendar."""
    if not name.startswith("reports:closing"):
        return {}
    today = clinic_today(world.home)
    return {"date_from": date(today.year, 1, 1).isoformat(), "date_to": today.isoformat()}


def read(world, name: str, actor: str):
    """(the response, its body, the audit events the request wrote), in a savepoint rolled back at
    once: every read starts from the same world and trail."""
    kwargs = matrix.URL_ARGS[name](world.records) if name in matrix.URL_ARGS else {}
    with transaction.atomic():
        if actor == "attorney_reader":
            Clinic.objects.filter(pk=world.home.pk).update(attorneys_read_all_cases=True)
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = world.browser_of(actor).get(reverse(name, kwargs=kwargs), query_of(world, name))
        # A streamed file is closed by the test client once read to its end.
        body = b"".join(response.streaming_content) if response.streaming else response.content
        events = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
        transaction.set_rollback(True)
    return response, body, events


def expected_event(world, name: str, actor: str) -> dict:
    action, what = READS[name]
    if isinstance(what, str):
        named = {"object_type": "", "object_id": "", "object_label": what}
    else:
        records = world.records | {"claim": Claim.objects.get(case_id=world.records["case"]).pk}
        named = {"object_type": what._meta.label_lower, "object_id": str(records[RECORD_OF[what]])}
    return {"action": action, **named, "actor_id": world.users[actor].pk, "clinic_id": world.home.pk}


def event_fields(event: AuditEvent, wanted: dict) -> dict:
    return {field: getattr(event, field) for field in wanted}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "actor"), [pytest.param(name, actor, id=f"{name} as {actor}") for name in READS for actor in readers(name)]
)
def test_each_read_writes_its_audit_event(world, name, actor):
    response, body, events = read(world, name, actor)
    assert response.status_code == 200, response
    assert body
    wanted = expected_event(world, name, actor)
    if wanted["action"] in (Action.EXPORT, Action.DOWNLOAD):
        assert response["Content-Disposition"].startswith("attachment")
    assert [event_fields(event, wanted) for event in events] == [wanted]
    assert events[0].ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_the_closing_reports_event_says_which_period(world):
    _response, _body, (event,) = read(world, "reports:closing", "supervisor")
    assert event.changes == {"filters": query_of(world, "reports:closing")}


def test_every_read_is_asked_by_someone():
    assert all(readers(name) for name in READS)

"""The authorization matrix: every named URL of the project, asked with GET and POST by each role
of the record's clinic, by each role of another clinic and by an anonymous visitor, answers what
tests/security/authorization_table.py says. A URL missing from the table fails the test, so a new
view cannot escape it.

The world (two clinics, their staff, and one of every record a URL can name: walk-in, conflict
check, client, alias, family member, adverse party, import, case, relief, hearing, deadline,
incident, evidence document, event, EAD clock stop, notification, failed reminder, calendar feed,
password-reset link) is built once for the module, through the real services, inside a
transaction that is rolled back when the module ends; each request runs in a savepoint of its
own, so a POST that deletes or changes something leaves the next request the same world.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client as BrowserClient
from django.test import TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cases import claim_services, deadline_services, evidence_services, feed_services
from cases import services as case_services
from cases.models import Case, Court, Deadline, Reminder
from clients import services as client_services
from clients.models import AdverseParty, ClientAlias, ClientImport, FamilyMember
from clinic.dashboard import TABLE_KEYS
from clinic.models import Clinic, Membership, Notification
from clinic.services import heartbeat_record
from tests.cases import evidence_files
from tests.cases.hearing_data import schedule, winter_day
from tests.conftest import pass_second_factor
from tests.factories import ClinicFactory, staff_member
from tests.security.authorization_table import (
    ACTORS,
    ANONYMOUS,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OUTSIDERS,
    REDIRECT,
    ROLE_OF,
    SHARED_RECORD_PARAMS,
    TABLE,
)

Role = Membership.Role

# URL patterns the matrix leaves out, and why. Nothing else may be left out.
SKIPPED_NAMESPACES = {
    # The Django admin has its own sign-in and lets in only is_staff accounts (superusers who
    # add deadline-rule versions); no clinic role is staff. Its many generated patterns are
    # Django's, not ours; test_the_django_admin_is_closed_to_every_clinic_role checks the door.
    "admin": "Django's own admin site, for superusers only",
}
# Static files are served by WhiteNoise's middleware and uploads only through the evidence
# download view: the project has no static or media URL pattern to skip.

MISSING_ID = 2_000_000_000  # no record has it: another clinic's record must answer as this does
YEAR = timezone.localdate().year


# ---- every URL pattern ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None
    route: str
    params: tuple[str, ...]


def all_patterns(resolver=None, namespace="", prefix="") -> list[Pattern]:
    """Every pattern under the root URLconf, recursively, with its full name and route parameters,
    except those of SKIPPED_NAMESPACES."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += all_patterns(entry, inner, route)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            found.append(Pattern(name, route, tuple(entry.pattern.regex.groupindex)))
    return found


PATTERNS = {pattern.name: pattern for pattern in all_patterns() if pattern.name}


def names_a_record_param(param: str) -> bool:
    """Whether a route parameter names a record owned by one clinic (`pk` or `*_pk`)."""
    return param == "pk" or (param.endswith("_pk") and param not in SHARED_RECORD_PARAMS)


def names_a_record(name: str) -> bool:
    return any(names_a_record_param(param) for param in PATTERNS[name].params)


def test_every_url_pattern_has_a_row_in_the_table():
    unnamed = [pattern.route for pattern in all_patterns() if pattern.name is None]
    assert not unnamed, f"URL patterns without a name cannot be in the authorization table: {unnamed}"
    missing = sorted(set(PATTERNS) - set(TABLE))
    assert not missing, f"Add these URLs to tests/security/authorization_table.py: {missing}"
    stale = sorted(set(TABLE) - set(PATTERNS))
    assert not stale, f"These rows of the authorization table name no URL any more: {stale}"


def test_every_url_with_parameters_has_records_to_name():
    needing = {name for name, pattern in PATTERNS.items() if pattern.params}
    assert needing == set(URL_ARGS), f"URL_ARGS of the matrix is out of step: {needing ^ set(URL_ARGS)}"


# ---- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    home: Clinic
    users: dict  # actor name -> user
    cookies: dict  # actor name -> session cookie
    records: dict  # what the URLs name
    secrets: tuple[str, ...]  # words of the home clinic's records that no outsider may ever see
    # One test client for every request: each new one loads the middleware again, and WhiteNoise
    # then reads the whole static folder (a third of a second).
    browser: BrowserClient = field(default_factory=BrowserClient)

    def browser_of(self, actor: str) -> BrowserClient:
        self.browser.cookies.clear()
        if actor != ANONYMOUS:
            self.browser.cookies[settings.SESSION_COOKIE_NAME] = self.cookies[actor]
        return self.browser


# Which records each URL with parameters names, from the world's records (r), plus a query string.
URL_ARGS = {
    "password_reset_confirm": lambda r: {"uidb64": r["uidb64"], "token": r["reset_token"]},
    "clinic:staff-edit": lambda r: {"pk": r["membership"]},
    "clinic:staff-deactivate": lambda r: {"pk": r["membership"]},
    "clinic:staff-reactivate": lambda r: {"pk": r["membership"]},
    "clinic:staff-invite": lambda r: {"pk": r["membership"]},
    "reports:closing-export": lambda r: {"key": "outcome", "fmt": "csv"},
    "reports:case-export": lambda r: {"fmt": "xlsx"},
    "reports:dashboard-export": lambda r: {"key": TABLE_KEYS[0], "fmt": "csv"},
    "notifications:open": lambda r: {"pk": r["notification"]},
    "clients:walk-in-detail": lambda r: {"pk": r["walk_in"]},
    "clients:walk-in-edit": lambda r: {"pk": r["walk_in"]},
    "clients:walk-in-status": lambda r: {"pk": r["walk_in"]},
    "clients:walk-in-conflict-check": lambda r: {"pk": r["walk_in"]},
    "clients:walk-in-accept": lambda r: {"pk": r["walk_in"]},
    "clients:walk-in-appointment": lambda r: {"pk": r["walk_in"]},
    "clients:walk-in-slip": lambda r: {"pk": r["walk_in"]},
    "clients:walk-in-slip-pdf": lambda r: {"pk": r["walk_in"]},
    "clients:conflict-check-detail": lambda r: {"pk": r["conflict_check"]},
    "clients:conflict-check-decide": lambda r: {"pk": r["conflict_check"]},
    "clients:client-detail": lambda r: {"pk": r["client"]},
    "clients:client-edit": lambda r: {"pk": r["client"]},
    "clients:client-move": lambda r: {"pk": r["client"]},
    "clients:alias-create": lambda r: {"pk": r["client"]},
    "clients:alias-delete": lambda r: {"pk": r["client"], "alias_pk": r["alias"]},
    "clients:family-create": lambda r: {"pk": r["client"]},
    "clients:family-edit": lambda r: {"pk": r["client"], "member_pk": r["family_member"]},
    "clients:family-delete": lambda r: {"pk": r["client"], "member_pk": r["family_member"]},
    "clients:adverse-create": lambda r: {"pk": r["client"]},
    "clients:adverse-edit": lambda r: {"pk": r["client"], "party_pk": r["adverse_party"]},
    "clients:adverse-delete": lambda r: {"pk": r["client"], "party_pk": r["adverse_party"]},
    "clients:import-detail": lambda r: {"pk": r["client_import"]},
    "clients:import-progress": lambda r: {"pk": r["client_import"]},
    "clients:import-run": lambda r: {"pk": r["client_import"]},
    "clients:import-discard": lambda r: {"pk": r["client_import"]},
    "clients:import-problems": lambda r: {"pk": r["client_import"]},
    "cases:case-open": lambda r: {"client_pk": r["client"]},
    "cases:case-detail": lambda r: {"pk": r["case"]},
    "cases:case-edit": lambda r: {"pk": r["case"]},
    "cases:case-team": lambda r: {"pk": r["case"]},
    "cases:relief-edit": lambda r: {"pk": r["case"], "relief_pk": r["relief"]},
    "cases:relief-add": lambda r: {"pk": r["case"]},
    "cases:case-outcome": lambda r: {"pk": r["case"]},
    "cases:case-close": lambda r: {"pk": r["case"]},
    "cases:notes": lambda r: {"pk": r["case"]},
    "cases:deadline-add": lambda r: {"pk": r["case"]},
    "cases:deadline-finish": lambda r: {"pk": r["case"], "deadline_pk": r["deadline"]},
    "cases:claim": lambda r: {"pk": r["case"]},
    "cases:claim-grounds": lambda r: {"pk": r["case"]},
    "cases:claim-elements": lambda r: {"pk": r["case"]},
    "cases:claim-one-year": lambda r: {"pk": r["case"]},
    "cases:claim-persecutors": lambda r: {"pk": r["case"]},
    "cases:claim-bars": lambda r: {"pk": r["case"]},
    "cases:claim-incident-create": lambda r: {"pk": r["case"]},
    "cases:claim-incident-edit": lambda r: {"pk": r["case"], "incident_pk": r["incident"]},
    "cases:claim-incident-delete": lambda r: {"pk": r["case"], "incident_pk": r["incident"]},
    "cases:evidence": lambda r: {"pk": r["case"]},
    "cases:evidence-upload": lambda r: {"pk": r["case"]},
    "cases:evidence-matrix": lambda r: {"pk": r["case"]},
    "cases:exhibits": lambda r: {"pk": r["case"]},
    "cases:exhibit-index": lambda r: {"pk": r["case"]},
    "cases:evidence-edit": lambda r: {"pk": r["case"], "evidence_pk": r["evidence"]},
    "cases:evidence-delete": lambda r: {"pk": r["case"], "evidence_pk": r["evidence"]},
    "cases:evidence-download": lambda r: {"pk": r["case"], "evidence_pk": r["evidence"]},
    "cases:exhibit-change": lambda r: {"pk": r["case"], "evidence_pk": r["evidence"]},
    "cases:hearings": lambda r: {"pk": r["case"]},
    "cases:hearing-add": lambda r: {"pk": r["case"]},
    "cases:hearing-edit": lambda r: {"pk": r["case"], "hearing_pk": r["hearing"]},
    "cases:hearing-result": lambda r: {"pk": r["case"], "hearing_pk": r["hearing"]},
    "cases:hearing-delete": lambda r: {"pk": r["case"], "hearing_pk": r["hearing"]},
    "cases:hearing-notice": lambda r: {"pk": r["case"], "hearing_pk": r["hearing"]},
    "cases:hearing-notice-pdf": lambda r: {"pk": r["case"], "hearing_pk": r["hearing"]},
    "cases:reminder-retry": lambda r: {"pk": r["reminder"]},
    "cases:deadline-judge-order": lambda r: {"pk": r["case"], "deadline_pk": r["deadline"]},
    "cases:deadline-event-add": lambda r: {"pk": r["case"]},
    "cases:deadline-event-remove": lambda r: {"pk": r["case"], "event_pk": r["event"]},
    "cases:deadline-clock-stop": lambda r: {"pk": r["case"]},
    "cases:deadline-clock-resume": lambda r: {"pk": r["case"], "stop_pk": r["clock_stop"]},
    "cases:rules-lead-times": lambda r: {"rule_pk": r["rule"]},
    "cases:feed-ics": lambda r: {"token": r["feed_token"]},
    "cases:case-reassign": lambda r: {"pk": r["case"]},
}
QUERIES = {"reports:closing-export": {"date_from": f"{YEAR}-01-01", "date_to": f"{YEAR}-12-31"}}


def build_world() -> World:
    home = ClinicFactory(name="Las Americas (matrix)", slug="matrix-home", case_prefix="MX")
    other = ClinicFactory(name="Border Rights (matrix)", slug="matrix-other", case_prefix="BR")
    users = {
        "intake": staff_member(home, Role.INTAKE, username="mx-intake"),
        "attorney": staff_member(home, Role.ATTORNEY, username="mx-attorney"),
        "attorney_off": staff_member(home, Role.ATTORNEY, username="mx-attorney-off"),
        "supervisor": staff_member(home, Role.SUPERVISOR, username="mx-supervisor"),
        "clinic_admin": staff_member(home, Role.CLINIC_ADMIN, username="mx-clinic-admin"),
    }
    users["attorney_reader"] = users["attorney_off"]
    for role in Role:
        users[f"outsider_{role.value}"] = staff_member(other, role, username=f"br-{role.value}")
    intake, attorney = users["intake"], users["attorney"]
    # A member of staff for the staff pages to act on: none of the visitors.
    colleague = staff_member(home, Role.INTAKE, username="mx-colleague")

    walk_in = client_services.walk_in_log(
        actor=intake,
        data={"given_names": "Zacarías", "paternal_surname": "Quiñónez", "date_of_birth": date(1994, 8, 1)},
    )
    client_services.conflict_check_run(actor=intake, walk_in=walk_in)
    # A return appointment, so that its slip can be printed.
    client_services.walk_in_set_appointment(actor=intake, walk_in=walk_in, at=timezone.now() + timedelta(days=7))
    conflict_check = client_services.conflict_check_run(
        actor=intake, query={"given_names": "Heriberto", "paternal_surname": "Valdivieso"}
    )
    client = client_services.client_create(
        actor=intake,
        data={
            "given_names": "Evaristo", "paternal_surname": "Montealegre", "maternal_surname": "Saucedo",
            "date_of_birth": date(1991, 2, 3), "a_number": "204518377", "last_entry_date": date(YEAR - 1, 3, 1),
        },
        address={
            "line1": "100 Main St", "line2": "", "city": "El Paso", "state": "TX", "zip_code": "79901",
            "moved_in_on": date(YEAR - 1, 4, 1),
        },
    )  # fmt: skip
    alias = client_services.alias_add(
        actor=intake, client=client, kind=ClientAlias.Kind.NICKNAME, name="Vare Montealegre"
    )
    spouse = client_services.family_member_save(
        actor=intake,
        client=client,
        data={"relationship": FamilyMember.Relationship.SPOUSE, "given_names": "Dolores", "location": "in_us"},
    )
    party = client_services.adverse_party_save(
        actor=attorney, client=client, data={"name": "Comandante Ruperto Liñán", "role": AdverseParty.Role.CARTEL}
    )
    client_import = ClientImport.objects.create(
        clinic=home,
        uploaded_by=intake,
        file=ContentFile(b"given_names\nRosalba\n", name="imports/clients.csv"),
        original_name="clients.csv",
        status=ClientImport.Status.VALIDATED,
        total_rows=1,
        valid_rows=1,
        errors=[],
    )

    case = case_services.case_open(
        actor=attorney,
        client=client,
        data={
            "process": Case.Process.DEFENSIVE, "court": Court.objects.get(code="DAL"),
            "i589_received_on": date(YEAR - 1, 6, 2),
        },
        lead_attorney=attorney,
        included_family=[spouse],
    )  # fmt: skip
    hearing = schedule(attorney, case, winter_day(), time(9, 0))
    # The filing deadline before that master hearing: a court deadline, open, the judge's to set.
    deadline = Deadline.objects.get(case=case, trigger_key__startswith="hearing:")
    incident = claim_services.incident_save(
        actor=attorney,
        case=case,
        data={
            "occurred_on": date(YEAR - 2, 6, 14), "date_is_approximate": False, "place": "Ciudad Juárez",
            "description": "Shot at during a patrol.", "perpetrators": "Armed men",
            "reported_to_police": "yes", "police_response": "Nothing.",
        },
    )  # fmt: skip
    (evidence,) = evidence_services.evidence_upload(
        actor=attorney,
        case=case,
        files=[evidence_files.upload("declaration.pdf", evidence_files.pdf_bytes())],
        data={"category": "declaration", "language": "es", "translation": "needed"},
    )
    evidence_services.exhibit_change(actor=attorney, evidence=evidence, action="add")
    event = deadline_services.event_record(
        actor=attorney, case=case, data={"kind": "foia_received", "occurred_on": date(YEAR - 1, 7, 1)}
    )
    clock_stop = deadline_services.clock_stop_add(
        actor=attorney, case=case, stopped_on=date(YEAR - 1, 8, 1), reason="Applicant asked to reschedule"
    )
    notification = Notification.objects.create(
        user=attorney, clinic=home, message=f"Deadline due on {case.number}", url=f"/cases/{case.pk}/"
    )
    # A reminder that failed for good, as a worker leaves one (tests/cases/test_reminders.py).
    reminder = Reminder.objects.create(
        deadline=deadline, recipient=attorney, due_on=deadline.due_on, lead_days=7,
        remind_on=deadline.due_on - timedelta(days=7), status="failed", attempts=7, queued_at=timezone.now(),
        last_error="SMTPServerDisconnected",
    )  # fmt: skip
    feed = feed_services.feed_issue(actor=attorney)
    heartbeat_record()

    records = {
        "membership": colleague.membership.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(colleague.pk)),
        "reset_token": default_token_generator.make_token(colleague),
        "notification": notification.pk,
        "walk_in": walk_in.pk,
        "conflict_check": conflict_check.pk,
        "client": client.pk,
        "alias": alias.pk,
        "family_member": spouse.pk,
        "adverse_party": party.pk,
        "client_import": client_import.pk,
        "case": case.pk,
        "relief": case.relief_applications.first().pk,
        "deadline": deadline.pk,
        "hearing": hearing.pk,
        "incident": incident.pk,
        "evidence": evidence.pk,
        "event": event.pk,
        "clock_stop": clock_stop.pk,
        "reminder": reminder.pk,
        "rule": deadline.rule_version.rule_id,
        "feed_token": feed.token,
    }
    cookies = {}
    browser = BrowserClient()
    for actor, user in users.items():
        browser.cookies.clear()
        browser.force_login(user)
        pass_second_factor(browser, user)  # supervisors and clinic admins must have one
        cookies[actor] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    secrets = ("Montealegre", "Quiñónez", "Valdivieso", "Liñán", case.number)
    return World(home, users, cookies, records, secrets, browser)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, in a transaction of the module's own (as TestCase.setUpTestData keeps its data),
    rolled back at the end: every test's own transaction is a savepoint inside it."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    # Every 403 and 404 is logged with its traceback: some 700 of them say nothing here.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            yield build_world()
        finally:
            TestCase._rollback_atomics(atomics)
            request_log.setLevel(level)
            media.disable()


# ---- the requests --------------------------------------------------------------------------------


def expected(name: str, method: str, actor: str):
    """The answer the table gives this visitor (authorization_table's docstring says how)."""
    row = TABLE[name]
    spec = getattr(row, method)
    if actor == ANONYMOUS:
        if not row.public:
            return LOGIN
        return spec.get(ANONYMOUS, spec["*"]) if isinstance(spec, dict) else spec
    if spec == NOT_ALLOWED:
        return NOT_ALLOWED
    role = ROLE_OF[actor]
    if role not in row.roles:
        return FORBIDDEN
    if actor in OUTSIDERS:
        if names_a_record(name):
            return NOT_FOUND
        actor = role.value  # what the same role gets at home
    if not isinstance(spec, dict):
        return spec
    if actor in spec:
        return spec[actor]
    if actor in ("attorney_off", "attorney_reader") and "attorney" in spec:
        return spec["attorney"]
    return spec["*"]


def visitors(name: str, method: str) -> list[str]:
    """Who asks. The attorney off the case (and reading it) only where the table tells them apart
    from the case's own attorney; outsiders POST only to URLs naming a record (elsewhere they
    would change their own clinic's data, as its staff may)."""
    row = TABLE[name]
    off_the_case = any(isinstance(spec, dict) and "attorney_off" in spec for spec in (row.get, row.post))
    return [
        actor
        for actor in ACTORS
        if (off_the_case or actor not in ("attorney_off", "attorney_reader"))
        and (method == "get" or actor not in OUTSIDERS or names_a_record(name))
    ]


def answer_of(response):
    if response.status_code == 302:
        return LOGIN if response.url.startswith(reverse("login")) else REDIRECT
    return response.status_code


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def ask(world: World, name: str, method: str, actor: str, *, missing: bool = False):
    """The answer to `actor`, in a savepoint rolled back at once: a POST that deletes or changes
    something leaves the world as it was for the next visitor."""
    kwargs = URL_ARGS[name](world.records) if name in URL_ARGS else {}
    if missing:
        kwargs = {param: MISSING_ID if names_a_record_param(param) else value for param, value in kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    query = QUERIES.get(name, {})
    with transaction.atomic():
        if actor == "attorney_reader":
            Clinic.objects.filter(pk=world.home.pk).update(attorneys_read_all_cases=True)
        browser = world.browser_of(actor)
        if method == "get":
            response = browser.get(url, query)
        else:
            response = browser.post(f"{url}?{urlencode(query)}" if query else url, {})
        body = body_of(response) if response.status_code == 200 else ""
        transaction.set_rollback(True)
    return response, body


def wrong_answers(world: World, name: str, method: str, actors) -> list[str]:
    wrong = []
    for actor in actors:
        response, body = ask(world, name, method, actor)
        got, want = answer_of(response), expected(name, method, actor)
        if got != want:
            where = f" to {response.url}" if response.status_code == 302 else ""
            wrong.append(f"{actor}: {got}{where}, the table says {want}")
            continue
        if actor not in OUTSIDERS or TABLE[name].public:
            continue
        leaked = [word for word in world.secrets if word in body]
        if leaked:
            wrong.append(f"{actor}: the page shows the other clinic's {leaked}")
        if got != NOT_FOUND and names_a_record(name):
            # A refusal that comes before the record is looked up: it must be the same for an id
            # that exists in another clinic and for one that exists nowhere.
            nowhere, _body = ask(world, name, method, actor, missing=True)
            if answer_of(nowhere) != got:
                wrong.append(f"{actor}: {got}, but {answer_of(nowhere)} for a record that does not exist")
    return wrong


def requests():
    """One test per URL and method, asking every visitor; and one per known bug, on its own, so
    that a bug's xfail hides nothing else."""
    for name, row in TABLE.items():
        for method in ("get", "post"):
            if getattr(row, method) is None:
                continue
            yield pytest.param(name, method, None, id=f"{method.upper()} {name}")
            for (bug_method, actor), reason in row.bugs.items():
                if bug_method == method:
                    mark = pytest.mark.xfail(strict=True, reason=reason)
                    yield pytest.param(name, method, actor, id=f"{method.upper()} {name} as {actor}", marks=mark)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "bug_of"), list(requests()))
def test_every_visitor_gets_the_tables_answer(world, name, method, bug_of):
    bugs = TABLE[name].bugs
    actors = [bug_of] if bug_of else [actor for actor in visitors(name, method) if (method, actor) not in bugs]
    wrong = wrong_answers(world, name, method, actors)
    assert not wrong, f"{method.upper()} {name}:\n  " + "\n  ".join(wrong)


def test_each_known_bug_names_a_visitor_who_asks():
    for name, row in TABLE.items():
        for method, actor in row.bugs:
            assert getattr(row, method) is not None, (name, method, actor)
            assert actor in visitors(name, method), (name, method, actor)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [actor for actor in ACTORS if actor != "attorney_reader"])
def test_the_django_admin_is_closed_to_every_clinic_role(world, actor):
    response = world.browser_of(actor).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

"""Who may open which page of Amparo: the expected answer of every URL, for every kind of visitor.
tests/security/test_authorization_matrix.py requests every named URL of the project as each of them
and compares the answer with this table; a URL without a row fails the test.

What each role may do (design.md "Security model", clients/access.py, cases/access.py):

- Intake staff: the intake desk, walk-ins, conflict checks (never waive one), clients, their aliases,
  addresses and family in the US, spreadsheet imports; every case's overview and hearings, read
  only; opening a case for a client. Never adverse parties, family abroad, a claim, evidence,
  notes, relief, outcomes or deadlines, and no change to a case once it is open.
- Attorneys: everything intake staff may do with clients, plus adverse parties and family abroad;
  the cases they are on (lead or team), wholly: claim, evidence, hearings, deadlines, notes,
  relief, outcome, closing. Another attorney's case is invisible (404) unless the clinic turns on
  "attorneys may read colleagues' cases": then they read it all, claim and evidence included, and
  change nothing (403). The deadline rules, read only; *My work*.
- Supervisors: every case and client of their clinic, read and write; the dashboard, its
  exports and the case-closing report; the clinic-wide deadline list; failed reminders and their
  retry; reassigning cases; the clinic's reminder lead times; the activity log.
- Clinic admins: staff accounts (add, change, deactivate, reactivate, invite again), the clinic's
  settings and the activity log. No client, walk-in or case (8 CFR 208.6: no need to know).
- Everyone signed in: their own notifications, calendar-feed page, password and two-factor
  sign-in page (supervisors and clinic admins must use two-factor sign-in; the test's sessions
  have passed it).
- Anonymous visitors: the sign-in and password-reset pages, /healthz, and a calendar feed whose
  secret address they hold. Everything else sends them to the login page.
- Another clinic's staff: another clinic's record answers 404 as if it did not exist, never 403
  and never its data. A role that may not use a page at all (a clinic admin asking for a client)
  is refused with 403 before any record is looked up, whatever the id, so even that 403 tells
  nothing about the record: the test also asks for a missing id and requires the same answer.

The visitors (ACTORS): one member of staff per role in the record's clinic, where "attorney" leads the
case of the URL, "attorney_off" is an attorney of the same clinic who is not on it (the clinic
keeps attorneys_read_all_cases off) and "attorney_reader" is that same attorney once the clinic
turns the setting on; "outsider_<role>", one of each role in another clinic; and "anonymous".

Answers: OK (200), REDIRECT (302 anywhere but the login page: a form that went through, or a
start page), LOGIN (302 to the login page), FORBIDDEN (403), NOT_FOUND (404), NOT_ALLOWED (405).
GET is always asked; POST wherever the view has a form or an action, or refuses the method (a
page that only shows something, `shows`, is not POSTed to). A POST carries an empty body, so a form
shows its errors (OK) or an action goes through or refuses politely (REDIRECT). The attorney off
the case (and reading it) asks only where a row tells them apart from the case's own attorney;
outsiders POST only to URLs that name a record (elsewhere they act in their own clinic). Each
outsider who gets 200 must not see a word of the record's clinic (its client's, walk-in's and
adverse party's names, its case number) on the page, except on the feed that their secret
address opens by design.

How a row reads (Row): `roles` may use the page at all; any other role gets 403. `get` and `post`
are either one answer for every role in `roles`, or a dict by visitor (case_read, case_write and
case_confidential spell out the three ways a case page treats attorneys and intake staff), or
None when the method is not asked. NOT_ALLOWED given alone holds for everybody signed in: the
method is refused before anything else. Outsiders on a URL naming a record of the clinic (a `pk`
or `*_pk` in its route) get 404 if their role may use the page, else 403; on any other URL they
get what the same role gets at home. Anonymous visitors get LOGIN unless the row is `public`.
`bugs` lists answers that are known to be wrong today: (method, visitor) -> "BUG: ...". The test
expects the correct answer from the table and marks that visitor's case xfail(strict=True), so a
fix turns it into a failure (XPASS) until the entry is removed. None is known today.
"""

from dataclasses import dataclass, field

from clinic.models import Membership

Role = Membership.Role

OK, REDIRECT, LOGIN, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, "redirect", "login", 403, 404, 405

HOME = ("intake", "attorney", "attorney_off", "attorney_reader", "supervisor", "clinic_admin")
OUTSIDERS = ("outsider_intake", "outsider_attorney", "outsider_supervisor", "outsider_clinic_admin")
ANONYMOUS = "anonymous"
ACTORS = (*HOME, *OUTSIDERS, ANONYMOUS)

# The role of each visitor (anonymous has none).
ROLE_OF = {
    "intake": Role.INTAKE,
    "attorney": Role.ATTORNEY,
    "attorney_off": Role.ATTORNEY,
    "attorney_reader": Role.ATTORNEY,
    "supervisor": Role.SUPERVISOR,
    "clinic_admin": Role.CLINIC_ADMIN,
    "outsider_intake": Role.INTAKE,
    "outsider_attorney": Role.ATTORNEY,
    "outsider_supervisor": Role.SUPERVISOR,
    "outsider_clinic_admin": Role.CLINIC_ADMIN,
}

EVERYONE = tuple(Role)
CLIENT_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)  # clients/access.py
RESTRICTED_ROLES = (Role.ATTORNEY, Role.SUPERVISOR)  # adverse parties, family abroad
CASE_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)  # cases/access.py
SUPERVISOR = (Role.SUPERVISOR,)
CLINIC_ADMIN = (Role.CLINIC_ADMIN,)

# Route parameters that name a record, but one every clinic shares (not clinic-owned).
SHARED_RECORD_PARAMS = {"rule_pk"}  # a DeadlineRule: the law is the same for every clinic


@dataclass(frozen=True)
class Row:
    roles: tuple[str, ...]
    get: object = OK
    post: object = OK
    public: bool = False
    bugs: dict[tuple[str, str], str] = field(default_factory=dict)


def case_read(ok=OK) -> dict:
    """The case's overview and hearings: intake staff read them; a colleague's case is 404 unless
    the clinic lets attorneys read it."""
    return {"intake": ok, "attorney": ok, "attorney_off": NOT_FOUND, "attorney_reader": ok, "supervisor": ok}


def case_confidential(ok=OK) -> dict:
    """The claim, evidence and notes, read: never intake staff; a reading colleague may."""
    return {
        "intake": FORBIDDEN, "attorney": ok, "attorney_off": NOT_FOUND, "attorney_reader": ok, "supervisor": ok,
    }  # fmt: skip


def case_write(ok=OK) -> dict:
    """Any change to a case: its attorneys and supervisors only (a reading colleague: 403)."""
    return {
        "intake": FORBIDDEN, "attorney": ok, "attorney_off": NOT_FOUND, "attorney_reader": FORBIDDEN,
        "supervisor": ok,
    }  # fmt: skip


def desk(get=OK, post=OK) -> Row:
    """A page of the intake desk and client records: intake staff, attorneys and supervisors."""
    return Row(CLIENT_ROLES, get, post)


def case_page(get, post) -> Row:
    return Row(CASE_ROLES, get, post)


def supervisor_only(get=OK, post=OK) -> Row:
    return Row(SUPERVISOR, get, post)


def clinic_admin_only(get=OK, post=OK) -> Row:
    return Row(CLINIC_ADMIN, get, post)


def shows(roles, get=OK) -> Row:
    """A page that only shows something and has no form of its own: POST is not asked (the view
    answers it as it answers GET)."""
    return Row(roles, get, None)


def public(get=OK, post=OK) -> Row:
    return Row(EVERYONE, get, post, public=True)


# A POST-only action (GET: 405) that redirects once done, or a GET-only page (POST: 405).
def action(roles, post=REDIRECT) -> Row:
    return Row(roles, NOT_ALLOWED, post)


def read_only(roles, get=OK) -> Row:
    return Row(roles, get, NOT_ALLOWED)


# Supervisors and clinic admins have two-factor sign-in on already: the set-up page sends them on.
SET_UP_ALREADY = {"*": OK, "supervisor": REDIRECT, "clinic_admin": REDIRECT}

TABLE: dict[str, Row] = {
    # ---- the start page, health, sign-in (django.contrib.auth.urls) ----------------------------
    "home": read_only(EVERYONE, get=REDIRECT),  # each role's start page
    "healthz": Row(EVERYONE, OK, NOT_ALLOWED, public=True),  # the world has a fresh heartbeat
    "login": public(),  # POST without a password: the form's errors
    "logout": Row(EVERYONE, NOT_ALLOWED, LOGIN),  # signs out, then shows the login page
    "password_change": Row(EVERYONE),
    "password_change_done": read_only(EVERYONE),
    "password_reset": public(),
    "password_reset_done": public(post=NOT_ALLOWED),
    # A real link for a real account: it moves the token into the session and redirects.
    "password_reset_confirm": public(get=REDIRECT, post=REDIRECT),
    "password_reset_complete": public(post=NOT_ALLOWED),
    # ---- clinic: dashboard, staff, settings, activity ------------------------------------------
    "clinic:dashboard": shows(SUPERVISOR),
    "clinic:dashboard-recount": action(SUPERVISOR),
    "clinic:staff-list": shows(CLINIC_ADMIN),
    "clinic:staff-create": clinic_admin_only(),
    "clinic:staff-edit": clinic_admin_only(),
    "clinic:staff-deactivate": action(CLINIC_ADMIN),
    "clinic:staff-reactivate": action(CLINIC_ADMIN),
    "clinic:staff-invite": action(CLINIC_ADMIN),
    "clinic:settings": clinic_admin_only(),
    "clinic:activity": shows((Role.SUPERVISOR, Role.CLINIC_ADMIN)),
    # ---- two-factor sign-in: each person's own (supervisors and clinic admins have it on, and
    # their sessions passed it; intake staff and attorneys have not turned it on) -----------------
    "clinic:two-factor": shows(EVERYONE),
    "clinic:two-factor-verify": Row(EVERYONE, REDIRECT, REDIRECT),  # nothing to verify: onwards
    "clinic:two-factor-enrol": Row(EVERYONE, SET_UP_ALREADY, SET_UP_ALREADY),
    "clinic:two-factor-codes": Row(EVERYONE, REDIRECT, REDIRECT),  # no new codes to show
    "clinic:two-factor-renew-codes": action(EVERYONE),
    "clinic:two-factor-remove": action(EVERYONE),
    # English or Spanish: anyone, signed in or not (the sign-in page has the switcher too).
    "clinic:language": Row(EVERYONE, NOT_ALLOWED, REDIRECT, public=True),
    # ---- reports and downloads (supervisors) ---------------------------------------------------
    "reports:closing": read_only(SUPERVISOR),
    "reports:closing-export": read_only(SUPERVISOR),
    "reports:case-export": read_only(SUPERVISOR),
    "reports:dashboard-export": read_only(SUPERVISOR),
    # ---- the bell: a person's own notifications ------------------------------------------------
    "notifications:list": read_only(EVERYONE),
    # The notification is the attorney's: nobody else's, not even a supervisor's.
    "notifications:open": action(
        EVERYONE, post={"*": NOT_FOUND, "attorney": REDIRECT, "attorney_off": NOT_FOUND, "attorney_reader": NOT_FOUND}
    ),
    "notifications:read-all": action(EVERYONE),
    # ---- intake desk, walk-ins, conflict checks ------------------------------------------------
    "clients:intake-desk": shows(CLIENT_ROLES),
    "clients:walk-in-list": shows(CLIENT_ROLES),
    "clients:walk-in-create": desk(),
    "clients:walk-in-detail": shows(CLIENT_ROLES),
    "clients:walk-in-edit": desk(),
    "clients:walk-in-status": action(CLIENT_ROLES),
    "clients:walk-in-conflict-check": action(CLIENT_ROLES),
    "clients:walk-in-accept": action(CLIENT_ROLES),
    "clients:walk-in-appointment": desk(),  # POST without a date: the form's error
    # The slip the person takes home (a page to print, and its PDF): the walk-in has an appointment.
    "clients:walk-in-slip": read_only(CLIENT_ROLES),
    "clients:walk-in-slip-pdf": read_only(CLIENT_ROLES),
    "clients:conflict-check": desk(),
    "clients:conflict-check-detail": shows(CLIENT_ROLES),
    "clients:conflict-check-decide": action(CLIENT_ROLES),
    # ---- clients, aliases, family, adverse parties ---------------------------------------------
    "clients:client-list": shows(CLIENT_ROLES),
    "clients:client-create": desk(),
    "clients:client-detail": shows(CLIENT_ROLES),
    "clients:client-edit": desk(),
    "clients:client-move": desk(),
    "clients:alias-create": action(CLIENT_ROLES),
    "clients:alias-delete": action(CLIENT_ROLES),
    "clients:family-create": desk(),
    "clients:family-edit": desk(),  # a family member in the US (one abroad is 404 to intake staff)
    "clients:family-delete": action(CLIENT_ROLES),
    "clients:adverse-create": Row(RESTRICTED_ROLES),
    "clients:adverse-edit": Row(RESTRICTED_ROLES),
    "clients:adverse-delete": action(RESTRICTED_ROLES),
    # ---- importing clients from a spreadsheet --------------------------------------------------
    "clients:import-upload": desk(),
    "clients:import-template": shows(CLIENT_ROLES),
    "clients:import-detail": shows(CLIENT_ROLES),
    "clients:import-progress": shows(CLIENT_ROLES),
    "clients:import-run": action(CLIENT_ROLES),
    "clients:import-discard": action(CLIENT_ROLES),
    "clients:import-problems": shows(CLIENT_ROLES),
    # ---- cases ---------------------------------------------------------------------------------
    "cases:my-work": shows(RESTRICTED_ROLES),
    "cases:case-list": shows(CASE_ROLES),
    "cases:case-open": Row(CASE_ROLES),  # for a client; intake staff open cases too
    "cases:case-detail": shows(CASE_ROLES, case_read()),
    "cases:case-edit": case_page(case_write(), case_write()),
    "cases:case-team": case_page(case_write(), case_write()),
    "cases:relief-edit": case_page(case_write(), case_write()),
    "cases:relief-add": case_page(NOT_ALLOWED, case_write(REDIRECT)),
    "cases:case-outcome": case_page(case_write(), case_write()),
    "cases:case-close": case_page(case_write(), case_write()),
    "cases:notes": case_page(case_confidential(), case_write()),
    "cases:deadline-add": case_page(NOT_ALLOWED, case_write(REDIRECT)),
    "cases:deadline-finish": case_page(NOT_ALLOWED, case_write(REDIRECT)),
    # ---- the claim -----------------------------------------------------------------------------
    "cases:claim": case_page(case_confidential(), NOT_ALLOWED),
    "cases:claim-grounds": case_page(case_write(), case_write()),
    "cases:claim-elements": case_page(case_write(), case_write()),
    "cases:claim-one-year": case_page(case_write(), case_write()),
    "cases:claim-persecutors": case_page(case_write(), case_write()),
    "cases:claim-bars": case_page(case_write(), case_write()),
    "cases:claim-incident-create": case_page(case_write(), case_write()),
    "cases:claim-incident-edit": case_page(case_write(), case_write()),
    "cases:claim-incident-delete": case_page(NOT_ALLOWED, case_write(REDIRECT)),
    # ---- evidence and exhibits -----------------------------------------------------------------
    "cases:evidence": case_page(case_confidential(), NOT_ALLOWED),
    "cases:evidence-upload": case_page(NOT_ALLOWED, case_write()),  # no file: the form's error
    "cases:evidence-matrix": case_page(case_confidential(), NOT_ALLOWED),
    "cases:exhibits": case_page(case_confidential(), NOT_ALLOWED),
    "cases:exhibit-index": case_page(case_confidential(), NOT_ALLOWED),
    "cases:evidence-edit": case_page(case_write(), case_write()),
    "cases:evidence-delete": case_page(NOT_ALLOWED, case_write(REDIRECT)),
    "cases:evidence-download": case_page(case_confidential(), NOT_ALLOWED),
    "cases:exhibit-change": case_page(NOT_ALLOWED, case_write(REDIRECT)),
    # ---- hearings and the calendar -------------------------------------------------------------
    "cases:calendar": shows(CASE_ROLES),
    "cases:hearings": shows(CASE_ROLES, case_read()),
    "cases:hearing-add": case_page(case_write(), case_write()),
    "cases:hearing-edit": case_page(case_write(), case_write()),
    "cases:hearing-result": case_page(case_write(), case_write()),
    "cases:hearing-delete": case_page(case_write(), case_write(REDIRECT)),  # GET asks to confirm
    # The notice of a hearing for the client: whoever reads the hearings prints it (a page, a PDF).
    "cases:hearing-notice": case_page(case_read(), NOT_ALLOWED),
    "cases:hearing-notice-pdf": case_page(case_read(), NOT_ALLOWED),
    # ---- reminders, deadlines, events, the EAD clock, the rules --------------------------------
    "cases:reminder-failures": shows(SUPERVISOR),
    "cases:reminder-retry": action(SUPERVISOR),
    "cases:deadline-judge-order": case_page(case_write(), case_write()),
    "cases:deadline-event-add": case_page(case_write(), case_write()),
    "cases:deadline-event-remove": case_page(case_write(), case_write(REDIRECT)),  # GET asks to confirm
    "cases:deadline-clock-stop": case_page(case_write(), case_write()),
    "cases:deadline-clock-resume": case_page(case_write(), case_write()),
    "cases:rules": shows(RESTRICTED_ROLES),
    # The clinic's own lead times for a rule; the rule itself is every clinic's.
    "cases:rules-lead-times": action(SUPERVISOR, post=OK),
    "cases:deadline-list": shows(SUPERVISOR),
    # ---- the calendar feed ---------------------------------------------------------------------
    "cases:feed": read_only(EVERYONE),  # a clinic admin sees that they have no feed to subscribe to
    "cases:feed-issue": action(CASE_ROLES),
    "cases:feed-revoke": action(EVERYONE),
    # The secret address is the key: whoever holds it reads the feed, signed in or not.
    "cases:feed-ics": Row(EVERYONE, OK, NOT_ALLOWED, public=True),
    # ---- reassignment (supervisors) ------------------------------------------------------------
    "cases:cases-reassign": action(SUPERVISOR),
    "cases:case-reassign": supervisor_only(),  # one case, from its team card
}

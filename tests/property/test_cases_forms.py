"""Bad input never crashes a case: every form and search of the cases app, fed arbitrary text,
dates, times and numbers (tests/property/strategies.py) by a user allowed to use it. The answer
is a form error or a success, never a 500; a form shown again wrote nothing; a success wrote
its records with their audit event (tests/property/harness.py).

Covered (cases/urls.py and the URL modules it includes), as the lead attorney unless said:
- the case: case-open (intake staff and attorney), case-edit, case-team, relief-edit, relief-add,
  case-outcome, case-close, notes, deadline-add, deadline-finish;
- the claim: claim-grounds, claim-elements, claim-one-year, claim-persecutors, claim-bars (the
  formset, management form included), claim-incident-create, claim-incident-edit;
- evidence: evidence-upload (any bytes under any name, with the form's details), evidence-edit,
  exhibit-change;
- hearings: hearing-add, hearing-edit, hearing-result;
- deadlines: deadline-judge-order, deadline-event-add, deadline-clock-stop, deadline-clock-resume,
  rules-lead-times (supervisor);
- reassignment (supervisor): cases-reassign, case-reassign;
- searches and lists: case-list (every filter, the keyset and the outcome filters), calendar
  (?date, view, scope), deadline-list (supervisor; every filter and page), reminder-failures
  (?page), feed-ics (any token the address admits, signed out: 404), also with NUL bytes and
  unicode in the raw query string;
- printouts: hearing-notice and hearing-notice-pdf (?lang), as intake staff.

Left out, because they read no input but the ids in their address: my-work, case-detail, claim,
claim-incident-delete, evidence, evidence-matrix, exhibits, exhibit-index, evidence-delete,
evidence-download, hearings, hearing-delete, deadline-event-remove, rules, feed, feed-issue,
feed-revoke, reminder-retry."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from hypothesis import given
from hypothesis import strategies as st

from cases import claim_selectors, evidence_selectors
from cases.claim_forms import (
    BarCheckFormSet,
    ClaimElementsForm,
    ClaimGroundsForm,
    ClaimPersecutorsForm,
    IncidentForm,
    OneYearForm,
)
from cases.deadline_forms import ClockResumeForm, ClockStopForm, EventForm, JudgeOrderForm, LeadTimesForm
from cases.evidence_forms import EvidenceEditForm, EvidenceUploadForm, ExhibitActionForm, link_choices
from cases.forms import (
    CaseFieldsForm,
    CaseFilterForm,
    CaseOpenForm,
    CloseForm,
    DeadlineFinishForm,
    DeadlineForm,
    NoteForm,
    OutcomeForm,
    ReliefAddForm,
    ReliefForm,
    TeamForm,
)
from cases.hearing_forms import HearingForm, HearingResultForm
from cases.reassign_forms import BulkReassignForm, ReassignForm
from clinic.dashboard_forms import DeadlineListFilterForm
from clinic.models import Membership
from tests.cases import evidence_files
from tests.property.harness import Target, get_drawn, post_drawn
from tests.property.strategies import query_params

Role = Membership.Role
pytestmark = pytest.mark.django_db


def _case(w):
    return [w.case.pk]


def _soon(w, days=60) -> str:
    from datetime import timedelta

    return (w.today + timedelta(days=days)).isoformat()


def _bars(w) -> list:
    formset = BarCheckFormSet(queryset=claim_selectors.bar_checks(w.case))
    return [formset.management_form, *formset.forms]


def _bars_valid(w) -> dict:
    formset = BarCheckFormSet(queryset=claim_selectors.bar_checks(w.case))
    management = formset.management_form
    valid = {management.add_prefix(name): str(management.initial[name]) for name in management.initial}
    valid |= {form.add_prefix("id"): str(form.instance.pk) for form in formset.forms}
    return valid


def _upload_form(w) -> EvidenceUploadForm:
    claim, incidents = evidence_selectors.claim_and_incidents(w.case)
    return EvidenceUploadForm(link_choices=link_choices(claim, incidents))


def _edit_form(w) -> EvidenceEditForm:
    claim, incidents = evidence_selectors.claim_and_incidents(w.case)
    return EvidenceEditForm(link_choices=link_choices(claim, incidents, list(w.evidence.links.all())))


def _hearing(w) -> dict:
    return {"kind": "master", "court": str(w.case.court_id), "day": _soon(w), "starts": "09:00", "ends": ""}


upload_names = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters='"\\/'), min_size=1, max_size=60
) | st.sampled_from(["declaration.pdf", "photo.JPG", "letter.docx", "scan.tiff", "x.heic", "virus.exe", ".pdf"])
upload_contents = st.one_of(
    st.sampled_from([evidence_files.pdf_bytes(), evidence_files.png_bytes(), evidence_files.jpeg_bytes()]),
    st.binary(max_size=2000),
    st.sampled_from([b"%PDF-1.4 not really", b"PK\x03\x04", b"\x89PNG\r\n", b"", b"\x00" * 64]),
)
# A real document first (shrinking goes there, to a post that should succeed), then anything.
uploads = st.one_of(
    st.just(None).map(lambda _none: [SimpleUploadedFile("declaration.pdf", evidence_files.pdf_bytes())]),
    st.lists(st.builds(SimpleUploadedFile, upload_names, upload_contents), min_size=0, max_size=3),
).map(lambda files: {"files": files} if files else {})

TARGETS = [
    Target("cases:case-open", Role.INTAKE, args=lambda w: [w.client.pk],
           forms=lambda w: [CaseOpenForm(client=w.client, clinic=w.clinic)],
           valid=lambda w: {"lead_attorney": str(w.user(Role.ATTORNEY).pk)}, creates="cases_case"),
    Target("cases:case-open", Role.ATTORNEY, args=lambda w: [w.client.pk],
           forms=lambda w: [CaseOpenForm(client=w.client, clinic=w.clinic)], creates="cases_case"),
    Target("cases:case-edit", Role.ATTORNEY, args=_case,
           forms=lambda w: [CaseFieldsForm(instance=w.case, client=w.client)]),
    Target("cases:case-team", Role.ATTORNEY, args=_case, forms=lambda w: [TeamForm(clinic=w.clinic)],
           valid=lambda w: {"lead_attorney": str(w.user(Role.ATTORNEY).pk)}),
    Target("cases:relief-edit", Role.ATTORNEY, args=lambda w: [w.case.pk, w.relief.pk],
           forms=lambda w: [ReliefForm(instance=w.relief)]),
    Target("cases:relief-add", Role.ATTORNEY, args=_case, forms=lambda w: [ReliefAddForm()], shows_errors=False),
    Target("cases:case-outcome", Role.ATTORNEY, args=_case, forms=lambda w: [OutcomeForm(instance=w.case)]),
    Target("cases:case-close", Role.ATTORNEY, args=_case, forms=lambda w: [CloseForm(case=w.case)],
           valid=lambda w: {"closed_on": w.today.isoformat()}),
    Target("cases:notes", Role.ATTORNEY, args=_case, forms=lambda w: [NoteForm()], creates="cases_casenote"),
    Target("cases:deadline-add", Role.ATTORNEY, args=_case, forms=lambda w: [DeadlineForm()],
           valid=lambda w: {"due_on": _soon(w)}, shows_errors=False),
    Target("cases:deadline-finish", Role.ATTORNEY, args=lambda w: [w.case.pk, w.deadline.pk],
           forms=lambda w: [DeadlineFinishForm()], shows_errors=False),
    Target("cases:claim-grounds", Role.ATTORNEY, args=_case, forms=lambda w: [ClaimGroundsForm()]),
    Target("cases:claim-elements", Role.ATTORNEY, args=_case, forms=lambda w: [ClaimElementsForm()]),
    Target("cases:claim-one-year", Role.ATTORNEY, args=_case, forms=lambda w: [OneYearForm()]),
    Target("cases:claim-persecutors", Role.ATTORNEY, args=_case,
           forms=lambda w: [ClaimPersecutorsForm(parties=claim_selectors.principal_adverse_parties(w.case))]),
    Target("cases:claim-bars", Role.ATTORNEY, args=_case, forms=_bars, valid=_bars_valid),
    Target("cases:claim-incident-create", Role.ATTORNEY, args=_case,
           forms=lambda w: [IncidentForm(parties=claim_selectors.principal_adverse_parties(w.case))],
           creates="cases_harmincident"),
    Target("cases:claim-incident-edit", Role.ATTORNEY, args=lambda w: [w.case.pk, w.incident.pk],
           forms=lambda w: [IncidentForm(parties=claim_selectors.principal_adverse_parties(w.case))]),
    Target("cases:evidence-upload", Role.ATTORNEY, args=_case, forms=lambda w: [_upload_form(w)],
           files=lambda w: uploads),
    Target("cases:evidence-edit", Role.ATTORNEY, args=lambda w: [w.case.pk, w.evidence.pk],
           forms=lambda w: [_edit_form(w)]),
    Target("cases:exhibit-change", Role.ATTORNEY, args=lambda w: [w.case.pk, w.evidence.pk],
           forms=lambda w: [ExhibitActionForm()], shows_errors=False),
    Target("cases:hearing-add", Role.ATTORNEY, args=_case,
           forms=lambda w: [HearingForm(case=w.case, clinic_zone=str(w.clinic.time_zone))], valid=_hearing,
           creates="cases_hearing"),
    Target("cases:hearing-edit", Role.ATTORNEY, args=lambda w: [w.case.pk, w.hearing.pk],
           forms=lambda w: [HearingForm(case=w.case, clinic_zone=str(w.clinic.time_zone), hearing=w.hearing)]),
    Target("cases:hearing-result", Role.ATTORNEY, args=lambda w: [w.case.pk, w.hearing.pk],
           forms=lambda w: [HearingResultForm()]),
    Target("cases:deadline-judge-order", Role.ATTORNEY, args=lambda w: [w.case.pk, w.court_deadline.pk],
           forms=lambda w: [JudgeOrderForm(today=w.today)], valid=lambda w: {"due_on": _soon(w, 10)}),
    Target("cases:deadline-event-add", Role.ATTORNEY, args=_case, forms=lambda w: [EventForm(today=w.today)],
           valid=lambda w: {"kind": "ij_decision", "occurred_on": _soon(w, -3), "response_due_on": ""},
           creates="cases_caseevent"),
    Target("cases:deadline-clock-stop", Role.ATTORNEY, args=_case,
           forms=lambda w: [ClockStopForm(today=w.today, received_on=w.case.i589_received_on)],
           valid=lambda w: {"stopped_on": w.today.isoformat()}, creates="cases_clockstop"),
    Target("cases:deadline-clock-resume", Role.ATTORNEY, args=lambda w: [w.case.pk, w.stop.pk],
           forms=lambda w: [ClockResumeForm(today=w.today, stopped_on=w.stop.stopped_on)],
           valid=lambda w: {"resumed_on": w.today.isoformat()}),
    Target("cases:rules-lead-times", Role.SUPERVISOR, args=lambda w: [w.rule.pk], forms=lambda w: [LeadTimesForm()],
           valid=lambda w: {"lead_days": "30, 7, 1"}),
    Target("cases:cases-reassign", Role.SUPERVISOR, forms=lambda w: [BulkReassignForm(clinic=w.clinic)],
           valid=lambda w: {"cases": [str(w.case.pk)], "to_attorney": str(w.user(Role.SUPERVISOR).pk)},
           shows_errors=False),
    Target("cases:case-reassign", Role.SUPERVISOR, args=_case, forms=lambda w: [ReassignForm(clinic=w.clinic)]),
]  # fmt: skip

SEARCHES = {
    "cases:case-list": (Role.ATTORNEY, [*CaseFilterForm.base_fields, "page"]),
    "cases:calendar": (Role.ATTORNEY, ["date", "view", "scope"]),
    "cases:deadline-list": (Role.SUPERVISOR, [*DeadlineListFilterForm.base_fields, "page"]),
    "cases:reminder-failures": (Role.SUPERVISOR, ["page"]),
}

# The printouts read one parameter, ?lang (any other value than es or en: the client's language).
PRINTOUTS = ("cases:hearing-notice", "cases:hearing-notice-pdf")

LEFT_OUT = {
    "my-work", "case-detail", "claim", "claim-incident-delete", "evidence", "evidence-matrix", "exhibits",
    "exhibit-index", "evidence-delete", "evidence-download", "hearings", "hearing-delete", "deadline-event-remove",
    "rules", "feed", "feed-issue", "feed-revoke", "reminder-retry",
}  # fmt: skip


def test_every_view_of_the_app_is_covered_or_left_out_with_a_reason():
    names = {name for name in get_resolver().namespace_dict["cases"][1].reverse_dict if isinstance(name, str)}
    covered = {target.url_name.split(":")[1] for target in TARGETS} | {name.split(":")[1] for name in SEARCHES}
    covered |= {name.split(":")[1] for name in PRINTOUTS}
    covered.add("feed-ics")
    assert names == covered | LEFT_OUT, (names - covered - LEFT_OUT, (covered | LEFT_OUT) - names)


@pytest.mark.parametrize("target", TARGETS, ids=str)
@given(data=st.data())
def test_a_form_answers_an_error_or_a_whole_success(world, as_user, target, data):
    post_drawn(as_user(world.user(target.role)), world, target, data)


@pytest.mark.parametrize("name", list(SEARCHES))
@given(data=st.data())
def test_a_search_or_list_page_reads_any_query(world, as_user, name, data):
    role, params = SEARCHES[name]
    get_drawn(as_user(world.user(role)), name, reverse(name), data.draw(query_params(params), label="query"))


@pytest.mark.parametrize("name", PRINTOUTS)
@given(data=st.data())
def test_a_printout_reads_any_language(world, as_user, name, data):
    url = reverse(name, args=[world.case.pk, world.hearing.pk])
    get_drawn(as_user(world.user(Role.INTAKE)), name, url, data.draw(query_params(["lang"]), label="query"))


@given(token=st.from_regex(r"\A[A-Za-z0-9_-]{20,64}\Z"))
def test_a_calendar_feed_address_with_any_token_is_not_found(world, client, token):
    response = client.get(reverse("cases:feed-ics", args=[token]))
    assert response.status_code == 404


RAW_QUERIES = [
    "q=%00", "q=LA-2026-%00", "after=%00", "after=2026-01-01%00|5", "after=%E2%80%8F|x", "attorney=%00",
    "court=%00", "status=%00", "sort=%00", "fiscal_year=%00", "fiscal_year=%D9%A3", "relief=%00&decision=%00",
    "date=%00", "date=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-05", "view=%00&scope=%00", "which=%00",
    "date_from=%00&date_to=2026-01-01", "page=%00", "page=99999999999999999999",
]  # fmt: skip


@pytest.mark.parametrize("name", list(SEARCHES))
@pytest.mark.parametrize("query", RAW_QUERIES)
def test_nul_bytes_and_unicode_in_the_query_string(world, as_user, name, query):
    role, _params = SEARCHES[name]
    get_drawn(as_user(world.user(role)), name, f"{reverse(name)}?{query}", {})

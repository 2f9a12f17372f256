"""Every write of a case's core: opening it, its team, key dates, relief, outcome, notes,
deadlines, closing. Keyword-only, atomic, audited (by case number, never the client's name).
The claim, evidence and hearings have their own service modules."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import deadline_services
from cases.access import OPEN_ROLES, require_change
from cases.deadline_services import schedule_reminders, sync_case_deadlines
from cases.models import (
    BarCheck,
    Case,
    CaseAssignment,
    CaseNote,
    CaseNumberCounter,
    Claim,
    Deadline,
    ReliefApplication,
)
from clients.models import Client, FamilyMember
from clinic.audit import audit_record
from clinic.models import AuditEvent, Membership
from clinic.permissions import Role, require_role

Action = AuditEvent.Action
# Fields of the case that start deadlines or decide which apply (cases/deadline_services.py).
DEADLINE_FIELDS = {"last_arrival_date", "i589_received_on", "court", "process"}


def audit_case(
    actor, action: str, case: Case, summary: str = "", changed: list[str] | None = None, request=None, obj=None
):
    """An audit event about a case (or a record of it), labelled with the case number."""
    audit_record(
        action=action,
        actor=actor,
        clinic=case.clinic,
        obj=obj or case,
        object_label=case.number,
        summary=summary,
        changes={"fields": changed} if changed else None,
        request=request,
    )


def case_viewed(*, actor, case: Case, page: str, request=None) -> None:
    """A look at a case's page is on the record (8 CFR 208.6): who read which case, and which page."""
    audit_case(actor, AuditEvent.Action.VIEW, case, f"Case {page} viewed", request=request)


def _apply(record, data: dict) -> list[str]:
    changed = [field for field, value in data.items() if getattr(record, field) != value]
    for field in changed:
        setattr(record, field, data[field])
    return changed


def _next_number(clinic, year: int) -> tuple[int, str]:
    """The next sequence of the clinic's year, taken under a row lock so two cases never share one."""
    counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(clinic=clinic, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{clinic.case_prefix}-{year}-{counter.last:04d}"


def _attorney_of(clinic, user) -> None:
    membership = Membership.objects.filter(user=user, clinic=clinic, user__is_active=True).first()
    if membership is None or membership.role not in (Role.ATTORNEY, Role.SUPERVISOR):
        raise ValidationError({"lead_attorney": _("Choose an attorney or supervisor of this clinic.")})


def _family_of(client: Client, members) -> list[FamilyMember]:
    members = list(members)
    if any(member.client_id != client.pk for member in members):
        raise ValidationError(
            {"included_family": _("Only the principal's own family members can be on the application.")}
        )
    return members


# Relief asked for when a case opens: a defensive I-589 asks the court for all three.
DEFAULT_RELIEF = {
    Case.Process.AFFIRMATIVE: [ReliefApplication.Kind.ASYLUM],
    Case.Process.DEFENSIVE: [
        ReliefApplication.Kind.ASYLUM,
        ReliefApplication.Kind.WITHHOLDING,
        ReliefApplication.Kind.CAT,
    ],
}


@transaction.atomic
def case_open(*, actor, client: Client, data: dict, lead_attorney, team=(), included_family=(), request=None) -> Case:
    """Opens a case for `client` with a new number (PREFIX-YEAR-NNNN), its lead attorney and team,
    an empty claim with every bar to check, and the relief its process asks for."""
    membership = require_role(actor, *OPEN_ROLES)
    if client.clinic_id != membership.clinic_id:
        raise PermissionDenied
    _attorney_of(membership.clinic, lead_attorney)
    family = _family_of(client, included_family)
    # The clinic's date, also outside a request (an import, a shell), where UTC's is a day ahead
    # every evening in El Paso.
    opened_on = data.pop("opened_on", None) or deadline_services.clinic_today(membership.clinic)
    sequence, number = _next_number(membership.clinic, opened_on.year)
    case = Case(
        clinic=membership.clinic, client=client, number=number, year=opened_on.year, sequence=sequence,
        opened_on=opened_on, created_by=actor, **data,
    )  # fmt: skip
    if case.last_arrival_date is None:
        case.last_arrival_date = client.last_entry_date
    case.full_clean()
    case.save()
    case.included_family.set(family)
    CaseAssignment.objects.create(case=case, user=lead_attorney, role=CaseAssignment.Role.LEAD)
    for member in {user for user in team if user != lead_attorney}:
        _attorney_of(membership.clinic, member)
        CaseAssignment.objects.create(case=case, user=member, role=CaseAssignment.Role.TEAM)
    claim = Claim.objects.create(case=case)
    BarCheck.objects.bulk_create([BarCheck(claim=claim, bar=bar) for bar in BarCheck.Bar.values])
    ReliefApplication.objects.bulk_create(
        [ReliefApplication(case=case, kind=kind) for kind in DEFAULT_RELIEF[case.process]]
    )
    audit_case(actor, Action.CREATE, case, f"Opened case for Client {client.pk}", request=request)
    if case.last_arrival_date or case.i589_received_on:
        sync_case_deadlines(case=case, actor=actor, request=request)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, data: dict, included_family=None, request=None) -> Case:
    """Changes the case's process, court, key dates, funding and status."""
    require_change(actor, case)
    changed = _apply(case, data)
    if included_family is not None:
        family = _family_of(case.client, included_family)
        if set(family) != set(case.included_family.all()):
            case.included_family.set(family)
            changed.append("included_family")
    if changed:
        case.full_clean()
        case.save()
        audit_case(actor, Action.UPDATE, case, changed=changed, request=request)
        if DEADLINE_FIELDS.intersection(changed):
            sync_case_deadlines(case=case, actor=actor, request=request)
    return case


@transaction.atomic
def case_set_team(*, actor, case: Case, lead_attorney, team=(), request=None) -> None:
    """Makes `lead_attorney` the lead and `team` the rest of the team (reassignment is audited)."""
    require_change(actor, case)
    _attorney_of(case.clinic, lead_attorney)
    wanted = {lead_attorney.pk: CaseAssignment.Role.LEAD} | {
        user.pk: CaseAssignment.Role.TEAM for user in team if user.pk != lead_attorney.pk
    }
    for user in team:
        _attorney_of(case.clinic, user)
    before = dict(case.assignments.values_list("user_id", "role"))
    if before == wanted:
        return
    case.assignments.all().delete()
    CaseAssignment.objects.bulk_create(
        [CaseAssignment(case=case, user_id=pk, role=role) for pk, role in wanted.items()]
    )
    audit_case(actor, Action.UPDATE, case, "Team changed", request=request)


@transaction.atomic
def relief_update(*, actor, relief: ReliefApplication, data: dict, request=None) -> ReliefApplication:
    require_change(actor, relief.case)
    changed = _apply(relief, data)
    if changed:
        relief.full_clean()
        relief.save()
        audit_case(actor, Action.UPDATE, relief.case, f"{relief.kind} application", changed, request, obj=relief)
    return relief


@transaction.atomic
def relief_add(*, actor, case: Case, kind: str, request=None) -> ReliefApplication:
    require_change(actor, case)
    if case.relief_applications.filter(kind=kind).exists():
        raise ValidationError(_("This case already asks for that relief."))
    relief = ReliefApplication.objects.create(case=case, kind=kind)
    audit_case(actor, Action.CREATE, case, f"{kind} application added", request=request, obj=relief)
    return relief


@transaction.atomic
def case_record_outcome(*, actor, case: Case, data: dict, request=None) -> Case:
    """The completion of the proceeding: outcome, date, in absentia, appeal reserved or waived."""
    require_change(actor, case)
    if data.get("outcome") and not data.get("outcome_on"):
        raise ValidationError({"outcome_on": _("Give the date of the decision.")})
    changed = _apply(case, data)
    if changed:
        if case.outcome and case.status not in (Case.Status.ON_APPEAL, Case.Status.CLOSED):
            case.status = Case.Status.DECIDED
            changed.append("status")
        case.full_clean()
        case.save()
        audit_case(actor, Action.UPDATE, case, "Outcome recorded", changed, request)
    return case


@transaction.atomic
def case_close(
    *, actor, case: Case, closed_on: date, closing_reason: str, confirm_open_deadlines: bool = False, request=None
) -> Case:
    """Closes the case. With deadlines still open it refuses unless the user confirms, and records
    that they did."""
    require_change(actor, case)
    if case.is_closed:
        raise ValidationError(_("This case is closed already."))
    open_deadlines = case.deadlines.filter(status=Deadline.Status.OPEN).count()
    if open_deadlines and not confirm_open_deadlines:
        raise OpenDeadlinesError(open_deadlines)
    case.status, case.closed_on, case.closing_reason = Case.Status.CLOSED, closed_on, closing_reason
    case.closed_by, case.closed_with_open_deadlines = actor, bool(open_deadlines)
    case.full_clean()
    case.save()
    summary = "Closed" + (f" with {open_deadlines} open deadlines, confirmed" if open_deadlines else "")
    audit_case(actor, Action.UPDATE, case, summary, ["status", "closed_on", "closing_reason"], request)
    return case


class OpenDeadlinesError(ValidationError):
    def __init__(self, count: int):
        self.count = count
        super().__init__(
            _("This case still has %(count)d open deadline(s). Confirm to close it anyway.") % {"count": count},
            code="open_deadlines",
        )


@transaction.atomic
def note_add(*, actor, case: Case, text: str, privileged: bool, request=None) -> CaseNote:
    require_change(actor, case)
    if not text.strip():
        raise ValidationError({"text": _("Write the note first.")})
    note = CaseNote.objects.create(case=case, author=actor, text=text.strip(), privileged=privileged)
    audit_case(actor, Action.CREATE, case, "Note added", request=request, obj=note)
    return note


@transaction.atomic
def deadline_add(*, actor, case: Case, title: str, due_on: date, note: str = "", request=None) -> Deadline:
    require_change(actor, case)
    deadline = Deadline(case=case, title=title.strip(), due_on=due_on, note=note.strip(), created_by=actor)
    deadline.full_clean()
    schedule_reminders(deadline, case.clinic)
    deadline.save()
    audit_case(actor, Action.CREATE, case, f"Deadline added, due {due_on}", request=request, obj=deadline)
    return deadline


@transaction.atomic
def deadline_finish(*, actor, deadline: Deadline, status: str, note: str = "", request=None) -> Deadline:
    """Marks a deadline done or waived (a waiver needs a note saying why)."""
    require_change(actor, deadline.case)
    if deadline.status != Deadline.Status.OPEN:
        raise ValidationError(_("This deadline is not open any more."))
    if status == Deadline.Status.WAIVED and not note.strip():
        raise ValidationError({"note": _("Say why the deadline is waived.")})
    deadline_services.finish(deadline, status, actor, note.strip())
    audit_case(actor, Action.UPDATE, deadline.case, f"Deadline {status}", request=request, obj=deadline)
    return deadline

"""A supervisor reassigns one or many cases to another attorney (issue 6, item 2).

Set-based: a fixed number of queries whatever the number of cases (lock, read the teams, delete,
demote, promote, insert, audit, move pending reminders), all in one transaction.

Reminders follow the team by themselves: the sweep (cases/reminders.py) reads a case's
assignments when a stage comes due, so the new lead gets every later reminder. Only a reminder
already created for the previous lead and still waiting for a worker is moved here, to the new
lead (or cancelled if the new lead has the same one already).
"""

from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from cases.models import Case, CaseAssignment, Reminder
from clinic.models import AuditEvent, Membership
from clinic.permissions import Role, require_role
from clinic.tasks import recount_dashboards

LEAD, TEAM = CaseAssignment.Role.LEAD, CaseAssignment.Role.TEAM


@dataclass
class _Change:
    case_id: int
    number: str
    previous_lead: int | None = None  # user id
    previous_lead_assignment: int | None = None  # CaseAssignment id
    target_assignment: int | None = None  # the new lead's TEAM assignment, if on the team already


def require_lead_candidate(clinic, user) -> None:
    """ValidationError unless `user` is an active attorney or supervisor of `clinic`."""
    ok = Membership.objects.filter(
        user=user, clinic=clinic, user__is_active=True, role__in=(Role.ATTORNEY, Role.SUPERVISOR)
    ).exists()
    if not ok:
        raise ValidationError({"to_attorney": _("Choose an active attorney or supervisor of this clinic.")})


def _case_ids(cases: list[Case] | QuerySet) -> list[int]:
    if isinstance(cases, QuerySet):
        return list(cases.order_by().values_list("pk", flat=True))
    return [case.pk for case in cases]


@transaction.atomic
def cases_reassign(
    *, actor, cases: list[Case] | QuerySet, to_attorney, keep_previous_on_team: bool = False, request=None
) -> int:
    """Makes `to_attorney` the lead of each case; the previous lead leaves the case or, with
    `keep_previous_on_team`, stays on its team. Supervisors only, every case of their clinic, or
    nothing changes. Cases `to_attorney` leads already are skipped. One audit event per changed
    case. Returns the number of cases changed."""
    membership = require_role(actor, Role.SUPERVISOR)
    clinic = membership.clinic
    require_lead_candidate(clinic, to_attorney)
    ids = set(_case_ids(cases))
    if not ids:
        return 0
    # Locked in id order, so two reassignments of overlapping cases queue up instead of deadlocking.
    rows = list(
        Case.objects.select_for_update(of=("self",))
        .filter(clinic=clinic, pk__in=ids)
        .order_by("pk")
        .values_list("pk", "number")
    )
    if len(rows) != len(ids):  # an id of another clinic's case, or of none
        raise PermissionDenied
    changes = {pk: _Change(pk, number) for pk, number in rows}
    assignments = CaseAssignment.objects.filter(case_id__in=ids).values_list("pk", "case_id", "user_id", "role")
    for pk, case_id, user_id, role in assignments:
        change = changes[case_id]
        if role == LEAD:
            change.previous_lead, change.previous_lead_assignment = user_id, pk
        elif user_id == to_attorney.pk:
            change.target_assignment = pk
    todo = [change for change in changes.values() if change.previous_lead != to_attorney.pk]
    if not todo:
        return 0
    _move_assignments(todo, to_attorney, keep_previous_on_team)
    if not keep_previous_on_team:
        _move_waiting_reminders(todo, to_attorney)
    _audit(actor, clinic, todo, to_attorney, keep_previous_on_team, request)
    # The supervisor goes back to the dashboard next: its caseload should show the move.
    transaction.on_commit(lambda: recount_dashboards.delay(clinic.pk))
    return len(todo)


def _move_assignments(todo: list[_Change], to_attorney, keep_previous_on_team: bool) -> None:
    # The old lead goes first: the database allows one lead per case.
    previous = [c.previous_lead_assignment for c in todo if c.previous_lead_assignment]
    if keep_previous_on_team:
        CaseAssignment.objects.filter(pk__in=previous).update(role=TEAM)
    else:
        CaseAssignment.objects.filter(pk__in=previous).delete()
    CaseAssignment.objects.filter(pk__in=[c.target_assignment for c in todo if c.target_assignment]).update(role=LEAD)
    CaseAssignment.objects.bulk_create(
        [CaseAssignment(case_id=c.case_id, user=to_attorney, role=LEAD) for c in todo if not c.target_assignment],
        batch_size=1000,
    )


def _move_waiting_reminders(todo: list[_Change], to_attorney) -> None:
    """Reminders made for a previous lead who leaves the case and not yet picked up by a worker
    go to the new lead instead; cancelled where the new lead has the same reminder already."""
    by_lead: dict[int, list[int]] = {}
    for change in todo:
        if change.previous_lead:
            by_lead.setdefault(change.previous_lead, []).append(change.case_id)
    if not by_lead:
        return
    whose = Q()
    for user_id, case_ids in by_lead.items():
        whose |= Q(recipient_id=user_id, deadline__case_id__in=case_ids)
    waiting = Reminder.objects.filter(whose, status=Reminder.Status.QUEUED).exclude(lead_days=Reminder.OVERDUE)
    twin = Reminder.objects.filter(
        deadline=OuterRef("deadline"), due_on=OuterRef("due_on"), lead_days=OuterRef("lead_days"), recipient=to_attorney
    )
    waiting.filter(Exists(twin)).update(status=Reminder.Status.CANCELLED)
    waiting.update(recipient=to_attorney)


def _audit(actor, clinic, todo: list[_Change], to_attorney, keep_previous_on_team: bool, request) -> None:
    users = {u.pk: u.get_username() for u in type(to_attorney).objects.filter(pk__in={c.previous_lead for c in todo})}
    new = to_attorney.get_username()
    ip = get_client_ip_address(request) if request is not None else None
    events = []
    for change in todo:
        old = users.get(change.previous_lead, "")
        fate = "kept on the team" if keep_previous_on_team else "removed from the case"
        summary = f"Reassigned: lead {old} → {new}, {old} {fate}" if old else f"Reassigned: lead (none) → {new}"
        events.append(
            AuditEvent(
                action=AuditEvent.Action.UPDATE,
                actor=actor,
                actor_label=actor.get_username(),
                clinic=clinic,
                object_type=Case._meta.label_lower,
                object_id=str(change.case_id),
                object_label=change.number,
                summary=summary,
                changes={
                    "lead": [old or None, new],
                    "lead_id": [change.previous_lead, to_attorney.pk],
                    "previous_lead_kept_on_team": bool(old) and keep_previous_on_team,
                },
                ip_address=ip,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=1000)

"""Who may see and change which case (design.md, "Security model").

- Intake staff see every case's overview (number, client, team, court, hearings): clients call
  the desk to ask when their hearing is. Never the claim, evidence, notes or outcomes.
- Attorneys see the cases they are assigned to, and read the clinic's other cases only if the
  clinic allows it (Clinic.attorneys_read_all_cases); they change only their own.
- Supervisors see and change every case of their clinic. Clinic admins see no case.
A case the user may not see answers 404, like another clinic's.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cases.models import Case
from clinic.models import Membership
from clinic.permissions import Role, require_role

CASE_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)
# The claim, evidence, notes and outcomes: privileged, need-to-know.
CONFIDENTIAL_ROLES = (Role.ATTORNEY, Role.SUPERVISOR)
# Who may open a case (intake staff do, when they accept a walk-in).
OPEN_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)


def cases_visible_to(actor) -> QuerySet[Case]:
    membership = require_role(actor, *CASE_ROLES)
    cases = Case.objects.filter(clinic=membership.clinic)
    if membership.role == Role.ATTORNEY and not membership.clinic.attorneys_read_all_cases:
        cases = cases.filter(assignments__user=actor)
    return cases


def case_for_user(*, actor, pk: int, confidential: bool = False, write: bool = False) -> Case:
    """The case, if `actor` may see it (else 404); PermissionDenied (403) if they may see it but
    not its confidential parts (`confidential`) or may not change it (`write`)."""
    membership = require_role(actor, *CASE_ROLES)
    case = get_object_or_404(cases_visible_to(actor).select_related("client", "court"), pk=pk)
    if confidential and not sees_confidential(membership):
        raise PermissionDenied
    if write and not can_change(membership, case):
        raise PermissionDenied
    return case


def sees_confidential(membership: Membership | None) -> bool:
    return membership is not None and membership.role in CONFIDENTIAL_ROLES


def can_change(membership: Membership | None, case: Case) -> bool:
    if membership is None or membership.clinic_id != case.clinic_id:
        return False
    if membership.role == Role.SUPERVISOR:
        return True
    # Through .all(): a page that prefetched the team asks the database nothing more.
    return membership.role == Role.ATTORNEY and any(a.user_id == membership.user_id for a in case.assignments.all())


def require_change(actor, case: Case) -> Membership:
    """For services: PermissionDenied unless `actor` may change `case`."""
    membership = require_role(actor, *CASE_ROLES)
    if not can_change(membership, case):
        raise PermissionDenied
    return membership

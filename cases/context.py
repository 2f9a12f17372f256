"""What every page of a case shows around its own content: the header and the tabs."""

from cases.access import can_change, sees_confidential
from cases.models import Case, CaseAssignment


def case_page(request, case: Case, tab: str, **extra) -> dict:
    """The context of a case tab page (templates/cases/case_base.html): one query for the team,
    none if the page prefetched it with its users."""
    membership = request.membership
    lead = next((a for a in case.assignments.all() if a.role == CaseAssignment.Role.LEAD), None)
    return {
        "case": case,
        "active_tab": tab,
        "lead": lead.user if lead else None,
        "sees_confidential": sees_confidential(membership),
        "can_change": can_change(membership, case),
        **extra,
    }

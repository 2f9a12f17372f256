"""Links into the cases app that other pages build (the supervisor dashboard's outcome table).
Pure: no database, no request."""

from urllib.parse import urlencode

from django.urls import reverse

from cases.models import Case
from cases.selectors import NO_COURT


def outcome_cases_url(
    *,
    fiscal_year: int,
    relief: str,
    court_id: int | None,
    decision: str = "decided",
    process: str = "",
    attorney_id: int | None = None,
    affirmative: bool = False,
) -> str:
    """The case list behind one figure of the outcome table, in every status: the cases with a
    `relief` application (a ReliefApplication.Kind value) whose `decision` ("granted", "denied",
    "other", or "decided" for any of the three) is dated in federal `fiscal_year`.

    court_id: the row's court. None for the two rows without one: the "Asylum office" row
    (affirmative=True: process=affirmative) and the "No court recorded" row (process=defensive,
    the only cases the dashboard labels so); both with court=none.
    process: the dashboard's process filter, kept on a row with a court.
    attorney_id: the dashboard's attorney filter, if any."""
    if court_id is not None:
        court = court_id
    else:
        court = NO_COURT
        process = Case.Process.AFFIRMATIVE if affirmative else Case.Process.DEFENSIVE
    params = {
        "status": "all",
        "relief": relief,
        "decision": decision,
        "fiscal_year": fiscal_year,
        "court": court,
        "process": process,
        "attorney": attorney_id,
    }
    query = urlencode({name: value for name, value in params.items() if value not in (None, "")})
    return f"{reverse('cases:case-list')}?{query}"

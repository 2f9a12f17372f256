"""Links into the cases app that other pages build (the supervisor dashboard's outcome table).
Pure: no database, no request."""

from functools import lru_cache
from urllib.parse import quote_plus

from django.urls import reverse

from cases.models import Case
from cases.selectors import NO_COURT

OUTCOME_DECISIONS = ("granted", "denied", "other", "decided")


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
    urls = outcome_cases_urls(
        reverse("cases:case-list"),
        fiscal_year=fiscal_year,
        relief=relief,
        court_id=court_id,
        process=process,
        attorney_id=attorney_id,
        affirmative=affirmative,
    )
    return urls[decision]


def outcome_cases_urls(
    case_list: str,
    *,
    fiscal_year: int,
    relief: str,
    court_id: int | None,
    process: str = "",
    attorney_id: int | None = None,
    affirmative: bool = False,
) -> dict[str, str]:
    """outcome_cases_url for each of OUTCOME_DECISIONS, by decision, under `case_list` (the
    reversed cases:case-list). The dashboard builds hundreds: the URL is reversed once per page
    and the query encoded once per row, not once per figure."""
    if court_id is not None:
        court = court_id
    else:
        court = NO_COURT
        process = Case.Process.AFFIRMATIVE if affirmative else Case.Process.DEFENSIVE
    head = _query({"status": "all", "relief": relief})
    tail = _query({"fiscal_year": fiscal_year, "court": court, "process": process, "attorney": attorney_id})
    return {decision: f"{case_list}?{head}&decision={decision}&{tail}" for decision in OUTCOME_DECISIONS}


def _query(params: dict) -> str:
    """urlencode() of the params that have a value, each value quoted once per process: the same
    few years, reliefs, courts and processes recur on every row."""
    return "&".join(f"{name}={_quoted(str(value))}" for name, value in params.items() if value not in (None, ""))


@lru_cache(maxsize=1024)
def _quoted(value: str) -> str:
    return quote_plus(value)

"""Reads of the case core, scoped by cases.access (another clinic's case, or one the user may not
see: 404). Each page runs a fixed number of queries, whatever the size of the case."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.access import case_for_user, cases_visible_to, sees_confidential
from cases.models import Case, CaseAssignment, CaseNote, Deadline, Evidence, HarmIncident, Hearing, ReliefApplication
from clinic.dashboard_counts import DENIED, GRANTED, OTHER
from clinic.permissions import require_role

CASES_PER_PAGE = 50
COUNT_LIMIT = 1000
UPCOMING_SHOWN = 5
NOTES_SHOWN = 5

# The attorney filter's value for "nobody is assigned" (the dashboard's Unassigned row).
NO_ATTORNEY = "none"
# The court filter's value for "no court" (the dashboard's Asylum office and No court recorded rows).
NO_COURT = "none"

# The outcome filters (links from the dashboard's outcome table), and the relief decisions each
# value of `decision` stands for, grouped as that table counts them.
OUTCOME_FILTERS = ("relief", "decision", "fiscal_year")
DECISIONS = {"granted": GRANTED, "denied": DENIED, "other": OTHER, "decided": (*GRANTED, *DENIED, *OTHER)}


def _lead_assignments() -> Prefetch:
    leads = CaseAssignment.objects.filter(role=CaseAssignment.Role.LEAD).select_related("user")
    return Prefetch(
        "assignments",
        queryset=leads.only("case_id", "role", "user__first_name", "user__last_name", "user__username"),
        to_attr="lead_assignments",
    )


# The columns the case list shows or pages by: a row of every column of the case, its client and
# its court cost more to build than to render (benchmarks/bench.py).
LIST_COLUMNS = (
    "clinic_id", "number", "year", "sequence", "process", "status", "opened_on", "client_id", "court_id",
    "client__given_names", "client__paternal_surname", "client__maternal_surname", "court__code",
)  # fmt: skip


def _next_hearing() -> Subquery:
    upcoming = Hearing.objects.filter(case=OuterRef("pk"), starts_at__gte=timezone.now()).order_by("starts_at")
    return Subquery(upcoming.values("starts_at")[:1])


# Each order is a tuple of fields that is unique per clinic, so a page can start strictly after
# the last case of the previous one (keyset pagination: page 2,000 costs what page 1 costs).
SORTS = {
    "-opened": ("-opened_on", "-sequence"),
    "opened": ("opened_on", "sequence"),
    "number": ("year", "sequence"),
    "-number": ("-year", "-sequence"),
}


@dataclass(frozen=True)
class CasePage:
    cases: list[Case]
    total: int  # at most COUNT_LIMIT + 1
    next_after: str | None

    @property
    def more_than_limit(self) -> bool:
        return self.total > COUNT_LIMIT

    @property
    def count_limit(self) -> int:
        return COUNT_LIMIT


def case_list(*, actor, filters: dict, after: str = "") -> CasePage:
    """One page of the cases the user may see, filtered and ordered. Three queries: the count, the
    page with each case's client, court and next hearing, and the page's lead attorneys."""
    cases = _filtered(cases_visible_to(actor), filters)
    order = SORTS.get(filters.get("sort") or "-opened", SORTS["-opened"])
    # Counted up to COUNT_LIMIT only: "1,000+ cases" says enough, and an exact count of 100,000
    # open cases costs more than the page itself.
    total = cases.order_by()[: COUNT_LIMIT + 1].count()
    page = list(
        cases.filter(_after(order, after))
        .select_related("client", "court")
        .only(*LIST_COLUMNS)
        .annotate(next_hearing=_next_hearing())
        .prefetch_related(_lead_assignments())
        .order_by(*order)[: CASES_PER_PAGE + 1]
    )
    more = len(page) > CASES_PER_PAGE
    page = page[:CASES_PER_PAGE]
    next_after = _cursor(page[-1], order) if more else None
    return CasePage(page, total, next_after)


def _cursor(case: Case, order: tuple[str, ...]) -> str:
    return ",".join(str(getattr(case, field.lstrip("-"))) for field in order)


def _after(order: tuple[str, ...], cursor: str) -> Q:
    """Cases strictly after the cursor in `order`, as (a > x) or (a = x and (b > y or ...)), with
    each leading field also bounded (a >= x) so the index on the order gives the range start."""
    values = cursor.split(",") if cursor else []
    if len(values) != len(order):
        return Q()
    try:
        parsed = [
            date.fromisoformat(value) if field.lstrip("-") == "opened_on" else int(value)
            for field, value in zip(order, values, strict=True)
        ]
    except ValueError:
        return Q()
    condition = Q()
    for field, value in reversed(list(zip(order, parsed, strict=True))):
        name, descending = field.lstrip("-"), field.startswith("-")
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        at_or_beyond = Q(**{f"{name}__{'lte' if descending else 'gte'}": value})
        condition = beyond if not condition else at_or_beyond & (beyond | (Q(**{name: value}) & condition))
    return condition


def _filtered(cases: QuerySet[Case], filters: dict) -> QuerySet[Case]:
    status = filters.get("status")
    if status == "all":
        pass
    elif status:
        cases = cases.filter(status=status)
    else:
        cases = cases.open()
    if filters.get("attorney") == NO_ATTORNEY:
        cases = cases.filter(assignments__isnull=True)
    elif filters.get("attorney"):
        # A join from the attorney's assignments (their index), not a scan of every case.
        cases = cases.filter(assignments__user=filters["attorney"])
    if filters.get("court") == NO_COURT:
        cases = cases.filter(court__isnull=True)
    elif filters.get("court"):
        cases = cases.filter(court=filters["court"])
    if filters.get("process"):
        cases = cases.filter(process=filters["process"])
    if filters.get("q"):
        cases = cases.filter(number__istartswith=filters["q"].strip())
    if any(filters.get(name) for name in OUTCOME_FILTERS):
        # EXISTS, not a join: a case with two matching reliefs is still one row of the list.
        cases = cases.filter(Exists(_reliefs_matching(filters)))
    return cases


def _reliefs_matching(filters: dict) -> QuerySet[ReliefApplication]:
    """The case's relief applications that meet every outcome filter, as the dashboard's outcome
    table counts them: a fiscal year counts decisions only, dated by the relief's decision date
    or, without one, the case's."""
    reliefs = ReliefApplication.objects.filter(case=OuterRef("pk"))
    if filters.get("relief"):
        reliefs = reliefs.filter(kind=filters["relief"])
    decision = filters.get("decision") or ("decided" if filters.get("fiscal_year") else "")
    if decision:
        reliefs = reliefs.filter(decision__in=DECISIONS[decision])
    if filters.get("fiscal_year"):
        decided = Coalesce("decided_on", "case__outcome_on")
        reliefs = reliefs.alias(decided=decided).filter(decided__range=fiscal_year_bounds(filters["fiscal_year"]))
    return reliefs


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of a US federal fiscal year: FY 2026 is 1 Oct 2025 to 30 Sep 2026."""
    return date(year - 1, 10, 1), date(year, 9, 30)


def case_overview(*, actor, pk: int) -> Case:
    """The case with what its overview shows, in a fixed number of queries: family, team, relief,
    the next hearings, the latest notes and claim counts (the deadline panel has its own selector,
    cases/deadline_selectors.py). Intake staff get no notes, deadlines, relief or claim."""
    membership = require_role(actor)
    confidential = sees_confidential(membership)
    prefetches = ["included_family", Prefetch("assignments", queryset=CaseAssignment.objects.select_related("user"))]
    if confidential:
        prefetches.append(Prefetch("relief_applications", queryset=ReliefApplication.objects.order_by("id")))
    cases = (
        cases_visible_to(actor).select_related("client", "court", "claim", "closed_by").prefetch_related(*prefetches)
    )
    case = get_object_or_404(cases, pk=pk)
    case.clinic = membership.clinic  # the actor's own, already loaded (cases_visible_to keeps to it)
    # The first few of one case, each a query of its own: a sliced Prefetch is written as a window
    # function, which cost more to build than these two queries to run (benchmarks/bench.py).
    case.upcoming = list(case.hearings.filter(starts_at__gte=timezone.now()).select_related("court")[:UPCOMING_SHOWN])
    if confidential:
        case.latest_notes = list(case.notes.select_related("author")[:NOTES_SHOWN])
        case.incident_count, case.evidence_count = _claim_counts(case)
    return case


def _claim_counts(case: Case) -> tuple[int, int]:
    """The case's incidents and evidence: two small counts in one round trip, as SQL text. As
    COUNT(DISTINCT) in the case's query, over a join of both tables, they made it the page's slowest
    query, and as two ORM counts they cost more to build than to run (benchmarks/bench.py). Keyed by
    the case just read for the actor's clinic and by its claim, so nothing of another clinic counts."""
    claim = getattr(case, "claim", None)
    incident, evidence = HarmIncident._meta.db_table, Evidence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT count(*) FROM {incident} WHERE claim_id = %s),"  # noqa: S608 (table names from the models)
            f" (SELECT count(*) FROM {evidence} WHERE case_id = %s)",
            [claim.pk if claim else None, case.pk],
        )
        return cursor.fetchone()


def case_get(*, actor, pk: int, write: bool = False, confidential: bool = False) -> Case:
    return case_for_user(actor=actor, pk=pk, write=write, confidential=confidential)


def relief_get(*, case: Case, pk: int) -> ReliefApplication:
    return get_object_or_404(case.relief_applications.all(), pk=pk)


def deadline_get(*, case: Case, pk: int) -> Deadline:
    return get_object_or_404(case.deadlines.all(), pk=pk)


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    return case.notes.select_related("author")


@dataclass(frozen=True)
class Week:
    today: date
    end: date
    hearings: list[Hearing]
    deadlines: list[Deadline]
    open_cases: int


def my_week(*, actor, today: date) -> Week:
    """The next seven days of the cases the user works on: hearings, and deadlines due (overdue
    first). Three queries."""
    membership = require_role(actor)
    mine = Case.objects.filter(clinic=membership.clinic, assignments__user=actor)
    end = today + timedelta(days=6)
    start_of_today = timezone.make_aware(datetime.combine(today, time.min))
    hearings = (
        Hearing.objects.filter(
            case__in=mine, starts_at__gte=start_of_today, starts_at__lt=start_of_today + timedelta(days=7)
        )
        .select_related("case", "case__client", "court")
        .order_by("starts_at")
    )
    deadlines = (
        Deadline.objects.filter(case__in=mine, status=Deadline.Status.OPEN, due_on__lte=end)
        .select_related("case", "case__client", "rule_version__rule")
        .order_by("due_on")
    )
    return Week(today, end, list(hearings), list(deadlines), mine.open().count())


def cases_of_client(*, actor, client) -> list[Case]:
    """The client's cases that the user may see, newest first."""
    return list(
        cases_visible_to(actor).filter(client=client).select_related("court").prefetch_related(_lead_assignments())
    )

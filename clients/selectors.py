"""Every read of walk-ins and clients, scoped to the user's clinic (another clinic's row: 404)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clients import names
from clients.access import require_client_access, sees_restricted
from clients.derivatives import DerivativeStatus, derivative_status
from clients.identifiers import looks_like_a_number, normalize_a_number
from clients.models import (
    AdverseParty,
    Client,
    ClientAddress,
    ConflictCheck,
    FamilyMember,
    PersonName,
    PersonNameToken,
    WalkIn,
)
from clients.triage import Triage, triage

CLIENT_PAGE_SIZE = 50
# Spouse first, then children from the eldest, then parents, siblings and others.
FAMILY_ORDER = Case(
    *[
        When(relationship=value, then=Value(rank))
        for rank, value in enumerate(("spouse", "child", "parent", "sibling"))
    ],
    default=Value(9),
)


# Walk-ins


@dataclass(frozen=True)
class QueueEntry:
    """A walk-in of the intake queue: what its row shows, and its urgency. Plain values rather
    than a WalkIn: a busy week lists hundreds, and building the model objects cost more than the
    rest of the row."""

    pk: int
    name: str
    arrived_at: datetime
    language: str  # a Language value
    country: str  # a country code, "" if not given
    reason: str
    status: str
    handled_by: str  # the staff member's name, "" for nobody
    triage: Triage

    @property
    def is_open(self) -> bool:
        return self.status not in WalkIn.CLOSED_STATUSES


def walk_ins(*, actor) -> QuerySet[WalkIn]:
    membership = require_client_access(actor)
    return WalkIn.objects.filter(clinic=membership.clinic)


def walk_in_get(*, actor, pk: int) -> WalkIn:
    return get_object_or_404(walk_ins(actor=actor).select_related("handled_by", "client"), pk=pk)


def walk_in_triage(walk_in: WalkIn, today: date) -> Triage:
    return triage(
        today=today,
        last_arrival=walk_in.last_arrival_date,
        next_hearing=walk_in.next_hearing_date,
        detained=walk_in.detained,
        in_absentia_order=walk_in.in_absentia_order,
        prior_removal_order=walk_in.prior_removal_order,
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# Closed walk-ins (accepted, referred, declined, no-show) shown under the open ones; the rest are counted.
CLOSED_SHOWN = 50
# What a queue row shows (clients.templatetags.intake_tags) and triage reads (walk_in_triage).
QUEUE_COLUMNS = (
    *("pk", "given_names", "paternal_surname", "maternal_surname", "arrived_at", "preferred_language"),
    *("country_of_nationality", "reason", "status", "last_arrival_date", "next_hearing_date", "detained"),
    *("in_absentia_order", "prior_removal_order", "handled_by", "handled_by__first_name", "handled_by__last_name"),
    "handled_by__username",
)


def walk_in_queue(*, actor, period: str, today: date) -> list[QueueEntry]:
    """Today's or this week's walk-ins: every open one, most urgent first, then in order of
    arrival; below them the latest closed ones. Two queries, however long the queue."""
    start = today if period == "today" else week_start(today)
    rows = (
        walk_ins(actor=actor)
        .arrived_between(_local_midnight(start), _local_midnight(today + timedelta(days=1)))
        .values_list(*QUEUE_COLUMNS, named=True)
    )
    entry = _QueueEntries(today)
    open_rows = [entry(row) for row in rows.exclude(status__in=WalkIn.CLOSED_STATUSES)]
    open_rows.sort(key=lambda entry: (-entry.triage.score, entry.arrived_at))
    closed = rows.filter(status__in=WalkIn.CLOSED_STATUSES).order_by("-arrived_at")[:CLOSED_SHOWN]
    return open_rows + [entry(row) for row in closed]


class _QueueEntries:
    """Turns the queue's rows into QueueEntry. A row has the WalkIn's field names, so
    walk_in_triage reads it as it reads a walk-in; each staff member's name is worked out once."""

    def __init__(self, today: date):
        self.today = today
        self.staff: dict[int, str] = {}

    def __call__(self, row) -> QueueEntry:
        return QueueEntry(
            pk=row.pk,
            name=names.full_name(row.given_names, row.paternal_surname, row.maternal_surname),
            arrived_at=row.arrived_at,
            language=row.preferred_language,
            country=row.country_of_nationality,
            reason=row.reason,
            status=row.status,
            handled_by=self.staff_name(row) if row.handled_by else "",
            triage=walk_in_triage(row, self.today),
        )

    def staff_name(self, row) -> str:
        if row.handled_by not in self.staff:
            # An unsaved User, only so the name reads as everywhere else (User.__str__).
            user = get_user_model()(
                first_name=row.handled_by__first_name,
                last_name=row.handled_by__last_name,
                username=row.handled_by__username,
            )
            self.staff[row.handled_by] = str(user)
        return self.staff[row.handled_by]


def walk_in_counts(*, actor, today: date) -> dict[str, int]:
    """Waiting today, arrived today and this week, and how many of those are closed: one query
    over this week's rows (the index on clinic and arrival time), counted per status; adding the
    few statuses up here costs less than five filtered counts cost to compile."""
    midnight = _local_midnight(today)
    per_status = (
        walk_ins(actor=actor)
        .arrived_between(_local_midnight(week_start(today)), _local_midnight(today + timedelta(days=1)))
        .values_list("status")
        .annotate(week=Count("id"), today=Count("id", filter=Q(arrived_at__gte=midnight)))
    )
    counts = dict.fromkeys(("waiting", "today", "week", "closed_today", "closed_week"), 0)
    for status, week, today_count in per_status:
        counts["week"] += week
        counts["today"] += today_count
        if status == WalkIn.Status.WAITING:
            counts["waiting"] = today_count
        if status in WalkIn.CLOSED_STATUSES:
            counts["closed_week"] += week
            counts["closed_today"] += today_count
    return counts


def walk_in_volume_by_week(*, actor, weeks: int, today: date) -> list[tuple[date, int]]:
    """Walk-ins per week (Monday to Sunday, clinic time) for the last `weeks` weeks, oldest first,
    with zero for a week without any."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    rows = (
        walk_ins(actor=actor)
        .filter(arrived_at__gte=_local_midnight(first))
        .annotate(week=TruncWeek("arrived_at"))
        .values("week")
        .annotate(count=Count("id"))
    )
    counts = {row["week"].date() if isinstance(row["week"], datetime) else row["week"]: row["count"] for row in rows}
    return [(first + timedelta(weeks=n), counts.get(first + timedelta(weeks=n), 0)) for n in range(weeks)]


# The status keys of the walk-in list (and of the dashboard's walk-in chart): each closed status,
# and "open" for any of the statuses still being worked on.
WALK_IN_LIST_STATUSES: dict[str, tuple[str, ...]] = {
    **{status.value: (status.value,) for status in WalkIn.CLOSED_STATUSES},
    "open": tuple(status.value for status in WalkIn.OPEN_STATUSES),
}


def walk_ins_in_period(*, actor, first: date, last: date, status: str = "") -> QuerySet[WalkIn]:
    """The clinic's walk-ins who arrived from `first` to `last` (both included, days in the
    clinic's time zone), earliest first, of one WALK_IN_LIST_STATUSES key ("" for all). A range
    on arrived_at between the clinic's midnights, so the index clients_walkin_queue is used."""
    if status and status not in WALK_IN_LIST_STATUSES:
        raise ValueError(f"Unknown walk-in status {status!r}")
    clinic = require_client_access(actor).clinic
    start, end = (
        timezone.make_aware(datetime.combine(day, time.min), clinic.time_zone)
        for day in (first, last + timedelta(days=1))
    )
    rows = WalkIn.objects.filter(clinic=clinic).arrived_between(start, end)
    if status:
        rows = rows.filter(status__in=WALK_IN_LIST_STATUSES[status])
    # The page shows the client link from client_id alone: nothing to join.
    return rows.order_by("arrived_at", "pk")


def conflict_checks_of(*, actor, walk_in: WalkIn) -> QuerySet[ConflictCheck]:
    require_client_access(actor)
    return walk_in.conflict_checks.select_related("performed_by", "decided_by")


def conflict_check_get(*, actor, pk: int) -> ConflictCheck:
    membership = require_client_access(actor)
    return get_object_or_404(ConflictCheck.objects.filter(clinic=membership.clinic).select_related("walk_in"), pk=pk)


# Clients


def clients(*, actor) -> QuerySet[Client]:
    membership = require_client_access(actor)
    return Client.objects.filter(clinic=membership.clinic)


def client_get(*, actor, pk: int) -> Client:
    return get_object_or_404(clients(actor=actor), pk=pk)


def client_with_a_number(*, clinic_id: int, a_number: str, exclude_pk: int | None = None) -> Client | None:
    """The client of this clinic that already has this A-number, if any."""
    return Client.objects.filter(clinic_id=clinic_id, a_number=a_number).exclude(pk=exclude_pk).first()


def client_detail(*, actor, pk: int) -> Client:
    """A client with everything the detail page shows, in a fixed number of queries. Family
    still abroad and adverse parties are left out for intake staff."""
    membership = require_client_access(actor)
    family = FamilyMember.objects.order_by(FAMILY_ORDER, "date_of_birth", "id")
    adverse = AdverseParty.objects.all()
    if not sees_restricted(membership):
        family = family.exclude(location=FamilyMember.Location.ABROAD)
        adverse = adverse.none()
    queryset = (
        clients(actor=actor)
        .select_related("created_by", "walk_in")
        .prefetch_related(
            Prefetch("family_members", queryset=family),
            Prefetch("adverse_parties", queryset=adverse),
            "aliases",
            Prefetch("addresses", queryset=ClientAddress.objects.order_by("-moved_in_on", "-id")),
        )
    )
    return get_object_or_404(queryset, pk=pk)


@dataclass(frozen=True)
class ClientPage:
    clients: list[Client]
    next_after: tuple[str, int] | None


SEARCH_WORDS = 8
# What a row of the client list shows (client_tags.client_rows), and its keyset: only these are
# read, about a third of the page's query time. A field shown without being named here costs a
# query per row (tests/clients/test_clients.py counts them).
LIST_FIELDS = (
    *("given_names", "paternal_surname", "maternal_surname", "sort_name", "detained", "a_number"),
    *("date_of_birth", "country_of_nationality", "preferred_language", "interpreter_needed", "phone"),
)


def client_search(
    *, actor, query: str = "", after: tuple[str, int] | None = None, limit: int = CLIENT_PAGE_SIZE
) -> ClientPage:
    """Clients in name order, filtered by the start of any word of any of their names (aliases
    too) or by A-number, one page at a time. Keyset pagination: a page starts after the
    (sort_name, id) of the previous one, so page 500 costs what page 1 costs."""
    membership = require_client_access(actor)
    clinic_clients = Client.objects.filter(clinic=membership.clinic).only(*LIST_FIELDS)
    query = query.strip()
    if looks_like_a_number(query) and any(char.isdigit() for char in query):
        return _client_page(clinic_clients.filter(a_number=normalize_a_number(query)), after, limit)
    # A name has a handful of words: more would only make the query deeper, never the answer
    # better (a pasted paragraph once exceeded PostgreSQL's stack depth).
    words = list(dict.fromkeys(names.tokens(query)))[:SEARCH_WORDS]
    if not words:
        return _client_page(clinic_clients, after, limit)
    ids = _ids_matching(membership.clinic_id, words, after, limit + 1)
    found = clinic_clients.in_bulk(ids[:limit])
    page = [found[pk] for pk in ids[:limit] if pk in found]
    return ClientPage(clients=page, next_after=(page[-1].sort_name, page[-1].pk) if len(ids) > limit else None)


def _after_filter(after: tuple[str, int] | None, name_field: str, id_field: str) -> Q:
    """(name, id) > after, written so that the index on (name, id) gives the range start."""
    if after is None:
        return Q()
    name, pk = after
    return Q(**{f"{name_field}__gte": name}) & (Q(**{f"{name_field}__gt": name}) | Q(**{f"{id_field}__gt": pk}))


def _client_page(queryset: QuerySet[Client], after, limit: int) -> ClientPage:
    rows = list(queryset.filter(_after_filter(after, "sort_name", "pk")).order_by("sort_name", "pk")[: limit + 1])
    next_after = (rows[limit - 1].sort_name, rows[limit - 1].pk) if len(rows) > limit else None
    return ClientPage(clients=rows[:limit], next_after=next_after)


def _ids_matching(clinic_id: int, words: list[str], after, count: int) -> list[int]:
    """The ids of the next `count` clients, in name order, of whom every word starts a word of
    one of their names, or is a nickname of one (Pepe finds José). One query on the word index,
    which carries each client's sort name: a rare word is looked up, a common one is walked in
    name order, and several words are intersected (clients_token_client_search and _order)."""
    per_word = [
        PersonNameToken.objects.filter(
            Q(token__startswith=word) | Q(token__in=names.canonical_forms(word)[1:]),
            _after_filter(after, "client_sort_name", "search_client_id"),
            clinic_id=clinic_id,
            search_client__isnull=False,
        ).values_list("client_sort_name", "search_client_id")
        for word in words
    ]
    matches = per_word[0].distinct() if len(per_word) == 1 else per_word[0].intersection(*per_word[1:])
    return [pk for _name, pk in matches.order_by("client_sort_name", "search_client_id")[:count]]


@dataclass(frozen=True)
class ConflictRow:
    kind: str
    kind_label: str
    record_id: int
    client_id: int | None
    name: str
    score: int
    reasons: list[str]
    # Intake staff learn that a restricted record (an adverse party, family abroad) matched, so
    # they stop and ask an attorney, but not whose name it is.
    restricted: bool


def conflict_rows(*, actor, check: ConflictCheck) -> list[ConflictRow]:
    membership = require_client_access(actor)
    hide = not sees_restricted(membership)
    abroad: set[int] = set()
    if hide:
        family_ids = [row["record_id"] for row in check.results if row["kind"] == PersonName.Kind.FAMILY_MEMBER]
        abroad = set(
            FamilyMember.objects.filter(
                client__clinic=membership.clinic, pk__in=family_ids, location=FamilyMember.Location.ABROAD
            ).values_list("pk", flat=True)
        )
    rows = []
    for row in check.results:
        restricted = hide and (
            row["kind"] == PersonName.Kind.ADVERSE_PARTY
            or (row["kind"] == PersonName.Kind.FAMILY_MEMBER and row["record_id"] in abroad)
        )
        rows.append(
            ConflictRow(
                kind=row["kind"],
                kind_label=PersonName.Kind(row["kind"]).label,
                record_id=row["record_id"],
                client_id=None if restricted else row["client_id"],
                name="" if restricted else row["name"],
                score=row["score"],
                reasons=[] if restricted else row["reasons"],
                restricted=restricted,
            )
        )
    return rows


def scoped_child(model, *, client: Client, pk: int):
    """An alias or adverse party of `client` (already scoped to the user's clinic), else 404."""
    return get_object_or_404(model.objects.filter(client=client), pk=pk)


def family_member_get(*, actor, client: Client, pk: int) -> FamilyMember:
    membership = require_client_access(actor)
    family = FamilyMember.objects.filter(client=client)
    if not sees_restricted(membership):
        family = family.exclude(location=FamilyMember.Location.ABROAD)
    return get_object_or_404(family, pk=pk)


@dataclass(frozen=True)
class FamilyEntry:
    member: FamilyMember
    derivative: DerivativeStatus


def family_with_status(client: Client, today: date) -> list[FamilyEntry]:
    """The client's family (as prefetched by client_detail) with each one's derivative status."""
    return [
        FamilyEntry(
            member,
            derivative_status(
                relationship=member.relationship,
                marital_status=member.marital_status,
                location=member.location,
                date_of_birth=member.date_of_birth,
                today=today,
            ),
        )
        for member in client.family_members.all()
    ]

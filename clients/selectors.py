"""Every read of walk-ins and clients, scoped to the user's clinic (another clinic's row: 404)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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
    walk_in: WalkIn
    triage: Triage


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


def walk_in_queue(*, actor, period: str, today: date) -> list[QueueEntry]:
    """Today's or this week's walk-ins, most urgent first, then in order of arrival.
    One query, however long the queue."""
    start = today if period == "today" else week_start(today)
    rows = walk_ins(actor=actor).arrived_between(_local_midnight(start), _local_midnight(today + timedelta(days=1)))
    entries = [QueueEntry(walk_in, walk_in_triage(walk_in, today)) for walk_in in rows.select_related("handled_by")]
    # Closed walk-ins (accepted, referred, declined, no-show) go below the open ones.
    return sorted(entries, key=lambda entry: (not entry.walk_in.is_open, -entry.triage.score, entry.walk_in.arrived_at))


def walk_in_counts(*, actor, today: date) -> dict[str, int]:
    """Waiting now, arrived today, arrived this week: one query."""
    tomorrow = _local_midnight(today + timedelta(days=1))
    return walk_ins(actor=actor).aggregate(
        waiting=Count("id", filter=Q(status=WalkIn.Status.WAITING, arrived_at__lt=tomorrow)),
        today=Count("id", filter=Q(arrived_at__gte=_local_midnight(today), arrived_at__lt=tomorrow)),
        week=Count("id", filter=Q(arrived_at__gte=_local_midnight(week_start(today)), arrived_at__lt=tomorrow)),
    )


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


def client_search(
    *, actor, query: str = "", after: tuple[str, int] | None = None, limit: int = CLIENT_PAGE_SIZE
) -> ClientPage:
    """Clients in name order, filtered by any part of any of their names or by A-number, one page
    at a time. Keyset pagination: a page starts after the (sort_name, id) of the previous one, so
    page 500 costs what page 1 costs."""
    membership = require_client_access(actor)
    queryset = _matching(Client.objects.filter(clinic=membership.clinic), membership.clinic_id, query.strip())
    if after is not None:
        sort_name, pk = after
        queryset = queryset.filter(Q(sort_name__gt=sort_name) | Q(sort_name=sort_name, pk__gt=pk))
    rows = list(queryset.order_by("sort_name", "pk")[: limit + 1])
    next_after = (rows[limit - 1].sort_name, rows[limit - 1].pk) if len(rows) > limit else None
    return ClientPage(clients=rows[:limit], next_after=next_after)


def _matching(queryset: QuerySet[Client], clinic_id: int, query: str) -> QuerySet[Client]:
    if not query:
        return queryset
    if looks_like_a_number(query) and any(char.isdigit() for char in query):
        return queryset.filter(a_number=normalize_a_number(query))
    client_names = (PersonName.Kind.CLIENT, PersonName.Kind.ALIAS)
    for word in names.tokens(query):
        # Every word must start a word of the client's name or of one of their aliases; a
        # nickname also finds the name it stands for (Pepe finds José).
        words = PersonNameToken.objects.filter(
            Q(token__startswith=word) | Q(token__in=names.canonical_forms(word)[1:]),
            clinic_id=clinic_id,
            person_name__kind__in=client_names,
        )
        queryset = queryset.filter(pk__in=words.values("person_name__client_id"))
    return queryset


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
            FamilyMember.objects.filter(pk__in=family_ids, location=FamilyMember.Location.ABROAD).values_list(
                "pk", flat=True
            )
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

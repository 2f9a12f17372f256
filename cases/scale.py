"""Cases for the scale data set: about 1.2 per client, with their team, claim, bars to check,
relief, hearings (4 per defensive case on average), harm incidents and notes. Deterministic for a
seed.

`manage.py seed_scale` makes them with the people, batch by batch (CaseStreams, seed_scale's
`follow`), with their deadlines (cases.scale_deadlines), in the people's transaction. For a data
set whose people are there without cases, seed_cases loads them from the database: the same
cases, for the clients seed_scale loaded that have none (in the demo clinic, not the demo's own
clients). Case numbers continue the clinic's own. Only for benchmarks: the rows are what the
services would write, without audit.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import accumulate
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Max

from cases import scale_deadlines
from cases.models import (
    BarCheck,
    Case,
    CaseAssignment,
    CaseNote,
    CaseNumberCounter,
    Claim,
    Court,
    Deadline,
    HarmIncident,
    Hearing,
    ReliefApplication,
)
from clients import bulk
from clients.models import FamilyMember
from clients.scale import ClientRow, FamilyRow, loaded_clients, weighted_choice
from clinic.models import Clinic, Membership

BATCH_CLIENTS = 2000
ATTORNEYS_PER_CLINIC = 12
CASES_PER_CLIENT = (1, 2)
SECOND_CASE_SHARE = 0.2  # 1.2 cases a client
# Where the cases of a border clinic are heard, most often first.
COURTS = ("ELP", "EPD", "OTO", "DAL", "HOU", "SNA", "PHO", "DEN", "ELO", "LRO")
COURT_WEIGHTS = (35, 15, 10, 10, 8, 6, 5, 5, 3, 3)
STATUSES = tuple(Case.Status.values)
STATUS_WEIGHTS = (5, 20, 15, 30, 12, 3, 15)
# Master calendar hearings before the merits hearing: 2 to 5, 3 on average (continuances), so a
# defensive case has 4 hearings on average.
MASTER_COUNTS = (2, 3, 4, 5)
MASTER_WEIGHTS = (30, 45, 20, 5)
DECIDED_STATUSES = (Case.Status.DECIDED, Case.Status.ON_APPEAL, Case.Status.CLOSED)
_D = ReliefApplication.Decision
DECISIONS = {
    "asylum": (_D.GRANTED, _D.DENIED, _D.WITHDRAWN, _D.ABANDONED, _D.NOT_ADJUDICATED),
    "withholding": (_D.GRANTED, _D.DENIED, _D.NOT_ADJUDICATED),
    "cat": (_D.GRANTED, _D.DENIED, _D.NOT_ADJUDICATED),
}
DECISION_WEIGHTS = {"asylum": (20, 50, 10, 10, 10), "withholding": (8, 60, 32), "cat": (3, 65, 32)}
# Weights -> cumulative weights (the same draws as rng.choices with the weights).
_CUMULATIVE = {
    weights: tuple(accumulate(weights))
    for weights in (COURT_WEIGHTS, STATUS_WEIGHTS, MASTER_WEIGHTS, *DECISION_WEIGHTS.values())
}
PLACES = ("Ciudad Juárez", "San Pedro Sula", "Tegucigalpa", "Guatemala City", "San Salvador", "Caracas", "Culiacán")
HOURS, MINUTES = (8, 9, 10, 13, 14), (0, 30)
NOTES = ("Intake interview done.", "Declaration drafted.")
BARS = tuple(BarCheck.Bar.values)
DEFENSIVE, AFFIRMATIVE = Case.Process.DEFENSIVE.value, Case.Process.AFFIRMATIVE.value
MASTER, INDIVIDUAL, INTERVIEW = Hearing.Kind.MASTER.value, Hearing.Kind.INDIVIDUAL.value, Hearing.Kind.INTERVIEW.value
IN_PERSON = Hearing.Medium.IN_PERSON.value
LEAD, TEAM = CaseAssignment.Role.LEAD.value, CaseAssignment.Role.TEAM.value
CASE_MODELS = (
    Case, Claim, CaseAssignment, ReliefApplication, Hearing, HarmIncident, CaseNote, BarCheck,
    Case.included_family.through, CaseNumberCounter,
)  # fmt: skip


class Draft(NamedTuple):
    """A case before it is written."""

    number: str
    year: int
    sequence: int
    client_id: int
    court: Court | None
    status: str
    opened_on: date
    closed_on: date | None
    last_arrival_date: date | None
    lead: int
    team: int | None
    family: list[int]


class CaseMaker:
    def __init__(
        self,
        rng: random.Random,
        clinic: Clinic,
        attorneys: list[int],
        courts: dict[str, Court],
        today: date,
        sequences: dict[int, int] | None = None,
    ):
        self.rng, self.clinic, self.attorneys, self.courts, self.today = rng, clinic, attorneys, courts, today
        # The last case number of each year, so that numbers continue the clinic's own.
        self.sequences: dict[int, int] = dict(sequences or {})
        self.zones = {court.pk: ZoneInfo(str(court.time_zone)) for court in courts.values()}

    def cases_for(self, client_id: int, arrival: date | None, family: list[int]) -> list[Draft]:
        count = CASES_PER_CLIENT[1] if self.rng.random() < SECOND_CASE_SHARE else CASES_PER_CLIENT[0]
        return [self._case(client_id, arrival, family) for _ in range(count)]

    def _case(self, client_id: int, arrival: date | None, family: list[int]) -> Draft:
        rng = self.rng
        opened = self.today - timedelta(days=rng.randrange(5 * 365))
        sequence = self.sequences[opened.year] = self.sequences.get(opened.year, 0) + 1
        defensive = rng.random() < 0.65
        court = self.courts[weighted_choice(rng, COURTS, _CUMULATIVE[COURT_WEIGHTS])] if defensive else None
        status = weighted_choice(rng, STATUSES, _CUMULATIVE[STATUS_WEIGHTS])
        closed = opened + timedelta(days=rng.randrange(30, 900)) if status == Case.Status.CLOSED else None
        return Draft(
            number=f"{self.clinic.case_prefix}-{opened.year}-{sequence:04d}",
            year=opened.year,
            sequence=sequence,
            client_id=client_id,
            court=court,
            status=status,
            opened_on=opened,
            closed_on=min(closed, self.today) if closed else None,
            last_arrival_date=arrival,
            lead=rng.choice(self.attorneys),
            team=rng.choice(self.attorneys) if rng.random() < 0.3 else None,
            family=family,
        )

    def decisions(self, case: Draft, kinds: tuple[str, ...]) -> list[tuple]:
        """(kind, decision, decided on) of each relief: undecided until the case is decided, then
        mostly denied, as in the clinics' courts (domain-rules.md: few asylum seekers win)."""
        if case.status not in DECIDED_STATUSES:
            return [(kind, "", None) for kind in kinds]
        rng = self.rng
        day = case.closed_on or min(case.opened_on + timedelta(days=rng.randrange(200, 900)), self.today)
        return [
            (kind, weighted_choice(rng, DECISIONS[kind], _CUMULATIVE[DECISION_WEIGHTS[kind]]), day) for kind in kinds
        ]

    def hearings(self, case: Draft) -> list[tuple]:
        """(kind, court id, time zone, start, medium) of each hearing, in date order: an asylum
        office interview for an affirmative case; master calendar hearings then the merits
        hearing for a defensive one."""
        if case.court is None:
            return [self._hearing(case, INTERVIEW, None, "America/Denver", _DENVER, 200)]
        masters = weighted_choice(self.rng, MASTER_COUNTS, _CUMULATIVE[MASTER_WEIGHTS])
        court = case.court
        zone_name, zone = str(court.time_zone), self.zones[court.pk]
        return [
            self._hearing(case, MASTER if n < masters else INDIVIDUAL, court.pk, zone_name, zone, 90 * (n + 1))
            for n in range(masters + 1)
        ]

    def _hearing(
        self, case: Draft, kind: str, court_id: int | None, zone_name: str, zone: ZoneInfo, after_days: int
    ) -> tuple:
        rng = self.rng
        day = case.opened_on + timedelta(days=after_days + rng.randrange(30))
        local = datetime.combine(day, _TIMES[rng.choice(HOURS), rng.choice(MINUTES)], zone)
        return (kind, court_id, zone_name, local, IN_PERSON)

    def incidents(self) -> list[tuple]:
        rng = self.rng
        return [
            (
                self.today - timedelta(days=rng.randrange(400, 3000)),
                rng.choice(PLACES),
                "Threatened at gunpoint.",
                rng.choice(("yes", "no")),
            )
            for _ in range(2)
        ]


_DENVER = ZoneInfo("America/Denver")
_TIMES = {(hour, minute): time(hour, minute) for hour in HOURS for minute in MINUTES}


def scale_attorneys(clinic: Clinic) -> list[int]:
    """A team of attorneys for a clinic of the scale data set (made once, password unusable)."""
    users = get_user_model()
    ids = []
    for n in range(1, ATTORNEYS_PER_CLINIC + 1):
        user, created = users.objects.get_or_create(
            username=f"{clinic.slug}-attorney-{n:02d}",
            defaults={"first_name": "Attorney", "last_name": f"{n:02d}", "password": make_password(None)},
        )
        if created:
            Membership.objects.create(user=user, clinic=clinic, role=Membership.Role.ATTORNEY)
        ids.append(user.pk)
    return ids


def clients_without_cases(clinic: Clinic):
    """The clients seed_scale loaded into `clinic` that have no case yet (every one gets one)."""
    return loaded_clients(clinic).filter(cases=None)


def clinics_without_cases(clinics) -> list[Clinic]:
    """The clinics some of whose loaded clients have no case yet."""
    return [clinic for clinic in clinics if clients_without_cases(clinic).exists()]


def _case_maker(clinic: Clinic, seed: int, today: date) -> CaseMaker:
    return CaseMaker(
        random.Random(seed),  # noqa: S311 (invented test data, reproducible by design)
        clinic,
        scale_attorneys(clinic),
        {court.code: court for court in Court.objects.filter(code__in=COURTS)},
        today,
        _last_sequences(clinic),
    )


def seed_cases(*, clinic: Clinic, seed: int, today: date, log: Callable[[str], None] = lambda message: None) -> int:
    """Loads the cases of the clients seed_scale loaded into `clinic` that have none; returns how
    many. One transaction (written on a second connection while the next batch is drawn).
    Their deadlines (and I-589 receipt days) come later, from seed_deadlines."""
    maker = _case_maker(clinic, seed, today)
    family = _derivative_family(clinic)
    clients = list(clients_without_cases(clinic).order_by("pk").values_list("pk", "last_entry_date"))
    tables = case_tables()
    total = 0
    with bulk.Writer(*CASE_MODELS) as writer:
        for start in range(0, len(clients), BATCH_CLIENTS):
            batch = [
                case
                for client_id, arrival in clients[start : start + BATCH_CLIENTS]
                for case in maker.cases_for(client_id, arrival, family.get(client_id, []))
            ]
            writer.copy(_rows(clinic, maker, batch, tables))
            total += len(batch)
            log(f"{clinic.slug}: {total} cases")
        writer.call(partial(_save_sequences, clinic, dict(maker.sequences)))
    return total


class CaseStreams:
    """seed_scale's `follow` for the command: a CaseStream for each clinic, whose cases, hearings
    and deadlines are drawn as the people are, and written in their transaction. When a second
    connection writes (PostgreSQL, outside a transaction) a forked process makes the deadlines,
    a third of the work, on the other core; the writer copies what it sends back."""

    MODELS = (*CASE_MODELS, Deadline)

    def __init__(self, *, seed: int, today: date):
        self.seed, self.today = seed, today
        self.computations: dict = {}  # the rule explanations, shared by the clinics
        self.makers: dict[int, scale_deadlines.DeadlineMaker] = {}
        self.table = bulk.Table(Deadline, scale_deadlines.FIELDS)
        self.worker: bulk.Forked | None = None

    def of(self, clinic: Clinic) -> "CaseStream":
        maker = scale_deadlines.deadline_maker(clinic, self.seed, self.today, self.computations)
        self.makers[clinic.pk] = maker
        return CaseStream(clinic=clinic, seed=self.seed, today=self.today, streams=self)

    def __enter__(self) -> "CaseStreams":
        if bulk.writes_in_parallel():
            encode = bulk.binary_encoder(Deadline, self.table.columns)
            self.worker = bulk.Forked(partial(_make_deadlines, self.makers, self.table, encode))
        return self

    def __exit__(self, *exc_info) -> None:
        if self.worker is not None:
            self.worker.close()

    def deadlines(self, clinic: Clinic, cases: list[tuple]):
        """The deadline rows of `cases` [(case, received, hearings, lead), ...] of `clinic`, or
        with a worker a function that waits for them."""
        if self.worker is None:
            maker = self.makers[clinic.pk]
            return self.table.rows([row for case in cases for row in maker.rows(*case)])
        self.worker.send((clinic.pk, cases))
        worker, columns = self.worker, self.table.columns
        return lambda: bulk.Encoded(Deadline, columns, worker.result()[0])


def _make_deadlines(makers, table: bulk.Table, encode, job: tuple) -> list[bytes]:
    """In the forked process: the deadlines of a batch of cases, encoded."""
    clinic_id, cases = job
    maker = makers[clinic_id]
    return [encode(table.rows([row for case in cases for row in maker.rows(*case)]).values).data]


class CaseStream:
    """The cases of a clinic's clients as seed_scale draws them, with their hearings and
    deadlines: what seed_cases then seed_deadlines make for the same clients from the database
    (same seeds, same order, same rows), without reading anything back."""

    def __init__(self, *, clinic: Clinic, seed: int, today: date, streams: CaseStreams):
        self.clinic = clinic
        self.cases = _case_maker(clinic, seed, today)
        self.i589 = scale_deadlines.i589_draws(clinic, seed, today)
        self.streams = streams
        self.tables = case_tables()

    def rows(self, clients: list[ClientRow], family: list[tuple]) -> list:
        derivative: dict[int, list[int]] = {}
        for member in family:
            if member[_RELATIONSHIP] in _DERIVATIVE and member[_LOCATION] == _IN_US:
                derivative.setdefault(member[_CLIENT], []).append(member[0])
        batch = [
            case
            for client in clients
            for case in self.cases.cases_for(client.id, client.last_entry_date, derivative.get(client.id, []))
        ]
        deadlines: list[tuple] = []
        rows = _rows(self.clinic, self.cases, batch, self.tables, self.i589, deadlines)
        return [*rows, self.streams.deadlines(self.clinic, deadlines)]

    def finish(self) -> None:
        _save_sequences(self.clinic, dict(self.cases.sequences))


# Where a family row (id, *FamilyRow) holds what decides who goes on the application.
_CLIENT, _RELATIONSHIP, _LOCATION = (
    1 + FamilyRow._fields.index(name) for name in ("client_id", "relationship", "location")
)
_DERIVATIVE = (FamilyMember.Relationship.SPOUSE.value, FamilyMember.Relationship.CHILD.value)
_IN_US = FamilyMember.Location.IN_US.value


def _last_sequences(clinic: Clinic) -> dict[int, int]:
    """The last case number of each year the clinic has used (its counters, or its cases)."""
    last = dict(CaseNumberCounter.objects.filter(clinic=clinic).values_list("year", "last"))
    numbered = Case.objects.filter(clinic=clinic).values("year").annotate(last=Max("sequence"))
    for row in numbered.values_list("year", "last"):
        last[row[0]] = max(last.get(row[0], 0), row[1])
    return last


def _save_sequences(clinic: Clinic, sequences: dict[int, int]) -> None:
    """The counters new case numbers are taken from (CaseNumberCounter) continue after ours."""
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(clinic=clinic, year=year, last=last) for year, last in sequences.items()],
        update_conflicts=True,
        unique_fields=["clinic", "year"],
        update_fields=["last"],
    )


def _derivative_family(clinic: Clinic) -> dict[int, list[int]]:
    """Each client's spouse and children in the US: who goes on the application."""
    rows = (
        FamilyMember.objects.filter(client__clinic=clinic, relationship__in=_DERIVATIVE, location=_IN_US)
        .order_by("pk")
        .values_list("client_id", "pk")
    )
    family: dict[int, list[int]] = {}
    for client_id, member_id in rows:
        family.setdefault(client_id, []).append(member_id)
    return family


CASE_FIELDS = (
    "id", "clinic_id", "number", "year", "sequence", "client_id", "process", "court_id", "status",
    "last_arrival_date", "opened_on", "closed_on", "closing_reason", "i589_received_on",
)  # fmt: skip
HEARING_FIELDS = ("id", "case_id", "kind", "court_id", "time_zone", "starts_at", "medium")


def case_tables() -> dict[type, bulk.Table]:
    """How each model's rows are written; every other column takes its default."""
    return {
        Case: bulk.Table(Case, CASE_FIELDS),
        Claim: bulk.Table(Claim, ("id", "case_id")),
        CaseAssignment: bulk.Table(CaseAssignment, ("case_id", "user_id", "role")),
        ReliefApplication: bulk.Table(ReliefApplication, ("case_id", "kind", "decision", "decided_on")),
        Hearing: bulk.Table(Hearing, HEARING_FIELDS),
        HarmIncident: bulk.Table(
            HarmIncident, ("claim_id", "occurred_on", "place", "description", "reported_to_police")
        ),
        CaseNote: bulk.Table(CaseNote, ("case_id", "author_id", "text")),
        BarCheck: bulk.Table(BarCheck, ("claim_id", "bar")),
        Case.included_family.through: bulk.Table(Case.included_family.through, ("case_id", "familymember_id")),
    }


def _rows(
    clinic: Clinic,
    maker: CaseMaker,
    batch: list[Draft],
    tables: dict[type, bulk.Table],
    i589: "scale_deadlines.I589Draws | None" = None,
    deadlines: list[tuple] | None = None,
) -> list[bulk.Rows]:
    """The rows of a batch of cases and of what comes with each, in the order they are written.
    With `i589`, each case's I-589 receipt day goes into its row, and what its deadlines are
    made of, (case, received, hearings, lead) as seed_deadlines reads them, into `deadlines`."""
    case_ids = bulk.reserve_ids(Case, len(batch))
    claim_ids = bulk.reserve_ids(Claim, len(batch))
    hearings_of = [maker.hearings(case) for case in batch]
    hearing_ids = iter(bulk.reserve_ids(Hearing, sum(len(hearings) for hearings in hearings_of)))
    cases, assignments, relief, hearings, incidents, notes, bars, family = [], [], [], [], [], [], [], []
    for case, case_id, claim_id, made in zip(batch, case_ids, claim_ids, hearings_of, strict=True):
        closed = case.closed_on
        court_id = case.court.pk if case.court else None
        process = DEFENSIVE if case.court else AFFIRMATIVE
        held = [(next(hearing_ids), case_id, *hearing) for hearing in made]
        hearings += held
        received = None
        if i589 is not None:
            received = i589.received(case.status, case.opened_on)
            values = (case_id, process, case.status, court_id, case.opened_on, closed, case.last_arrival_date)
            own = [(hearing[0], hearing[2], hearing[3], hearing[5].date()) for hearing in held]
            deadlines.append((values, received, own, case.lead))
        cases.append(
            (case_id, clinic.pk, case.number, case.year, case.sequence, case.client_id, process, court_id,
             case.status, case.last_arrival_date, case.opened_on, closed, "I" if closed else "", received)
        )  # fmt: skip
        assignments.append((case_id, case.lead, LEAD))
        if case.team and case.team != case.lead:
            assignments.append((case_id, case.team, TEAM))
        kinds = ("asylum", "withholding", "cat") if case.court else ("asylum",)
        relief += [(case_id, *decision) for decision in maker.decisions(case, kinds)]
        incidents += [(claim_id, *incident) for incident in maker.incidents()]
        notes += [(case_id, case.lead, text) for text in NOTES]
        bars += [(claim_id, bar) for bar in BARS]
        family += [(case_id, member) for member in case.family]
    return [
        tables[Case].rows(cases),
        tables[Claim].rows(zip(claim_ids, case_ids, strict=True)),
        tables[CaseAssignment].rows(assignments),
        tables[ReliefApplication].rows(relief),
        tables[Hearing].rows(hearings),
        tables[HarmIncident].rows(incidents),
        tables[CaseNote].rows(notes),
        tables[BarCheck].rows(bars),
        tables[Case.included_family.through].rows(family),
    ]

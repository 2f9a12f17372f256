"""Cases for the scale data set: about 1.2 per client, with their team, claim, bars to check,
relief, hearings (4 or 5 per defensive case), harm incidents and notes. Deterministic for a seed.

Loaded by `manage.py seed_scale` after the people (clients.scale), through the same COPY writer
(clients.bulk). Only for benchmarks: the rows are what the services would write, without audit.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count

from cases.models import (
    BarCheck,
    Case,
    CaseAssignment,
    CaseNote,
    CaseNumberCounter,
    Claim,
    Court,
    HarmIncident,
    Hearing,
    ReliefApplication,
)
from clients import bulk
from clients.models import Client, FamilyMember
from clinic.models import Clinic, Membership

BATCH_CLIENTS = 2000
ATTORNEYS_PER_CLINIC = 12
# Where the cases of a border clinic are heard, most often first.
COURTS = ("ELP", "EPD", "OTO", "DAL", "HOU", "SNA", "PHO", "DEN", "ELO", "LRO")
COURT_WEIGHTS = (35, 15, 10, 10, 8, 6, 5, 5, 3, 3)
STATUSES = tuple(Case.Status.values)
STATUS_WEIGHTS = (5, 20, 15, 30, 12, 3, 15)
EXTRA_MASTER_SHARE = 0.6
DECIDED_STATUSES = (Case.Status.DECIDED, Case.Status.ON_APPEAL, Case.Status.CLOSED)
_D = ReliefApplication.Decision
DECISIONS = {
    "asylum": (_D.GRANTED, _D.DENIED, _D.WITHDRAWN, _D.ABANDONED, _D.NOT_ADJUDICATED),
    "withholding": (_D.GRANTED, _D.DENIED, _D.NOT_ADJUDICATED),
    "cat": (_D.GRANTED, _D.DENIED, _D.NOT_ADJUDICATED),
}
DECISION_WEIGHTS = {"asylum": (20, 50, 10, 10, 10), "withholding": (8, 60, 32), "cat": (3, 65, 32)}
PLACES = ("Ciudad Juárez", "San Pedro Sula", "Tegucigalpa", "Guatemala City", "San Salvador", "Caracas", "Culiacán")


@dataclass
class CaseRows:
    cases: list[tuple] = field(default_factory=list)
    # Rows that need the case's id, made once the cases are written: (case index, values...).
    pending: dict[str, list] = field(default_factory=dict)


class CaseMaker:
    def __init__(self, rng: random.Random, clinic: Clinic, attorneys: list[int], courts: dict[str, Court], today: date):
        self.rng, self.clinic, self.attorneys, self.courts, self.today = rng, clinic, attorneys, courts, today
        self.sequences: dict[int, int] = {}

    def cases_for(self, client: dict, family: list[int]) -> list[dict]:
        count = 2 if self.rng.random() < 0.2 else 1
        return [self._case(client, family) for _ in range(count)]

    def _case(self, client: dict, family: list[int]) -> dict:
        rng = self.rng
        opened = self.today - timedelta(days=rng.randrange(5 * 365))
        sequence = self.sequences[opened.year] = self.sequences.get(opened.year, 0) + 1
        defensive = rng.random() < 0.65
        court = self.courts[rng.choices(COURTS, COURT_WEIGHTS)[0]] if defensive else None
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
        closed = opened + timedelta(days=rng.randrange(30, 900)) if status == Case.Status.CLOSED else None
        return {
            "number": f"{self.clinic.case_prefix}-{opened.year}-{sequence:04d}",
            "year": opened.year,
            "sequence": sequence,
            "client_id": client["id"],
            "process": Case.Process.DEFENSIVE if defensive else Case.Process.AFFIRMATIVE,
            "court": court,
            "status": status,
            "opened_on": opened,
            "closed_on": min(closed, self.today) if closed else None,
            "last_arrival_date": client["last_entry_date"],
            "lead": rng.choice(self.attorneys),
            "team": rng.choice(self.attorneys) if rng.random() < 0.3 else None,
            "family": family,
        }

    def decisions(self, case: dict, kinds: tuple[str, ...]) -> list[tuple]:
        """(kind, decision, decided on) of each relief: undecided until the case is decided, then
        mostly denied, as in the clinics' courts (domain-rules.md: few asylum seekers win)."""
        if case["status"] not in DECIDED_STATUSES:
            return [(kind, "", None) for kind in kinds]
        rng = self.rng
        day = case["closed_on"] or min(case["opened_on"] + timedelta(days=rng.randrange(200, 900)), self.today)
        return [(kind, rng.choices(DECISIONS[kind], DECISION_WEIGHTS[kind])[0], day) for kind in kinds]

    def hearings(self, case: dict) -> list[tuple]:
        if case["court"] is None:
            return [self._hearing(case, Hearing.Kind.INTERVIEW, None, "America/Denver", 200)]
        # Three master calendar hearings, a fourth for most (a continuance), then the merits hearing:
        # about 4.6 hearings a defensive case, 400,000 hearings for 120,000 cases.
        masters = 4 if self.rng.random() < EXTRA_MASTER_SHARE else 3
        kinds = (Hearing.Kind.MASTER,) * masters + (Hearing.Kind.INDIVIDUAL,)
        return [
            self._hearing(case, kind, case["court"], str(case["court"].time_zone), 90 * (n + 1))
            for n, kind in enumerate(kinds)
        ]

    def _hearing(self, case: dict, kind: str, court, zone: str, after_days: int) -> tuple:
        day = case["opened_on"] + timedelta(days=after_days + self.rng.randrange(30))
        local = datetime.combine(
            day, time(self.rng.choice((8, 9, 10, 13, 14)), self.rng.choice((0, 30))), ZoneInfo(zone)
        )
        return (kind, court.pk if court else None, zone, local, Hearing.Medium.IN_PERSON)

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


def seed_cases(*, clinic: Clinic, seed: int, today: date, log: Callable[[str], None] = lambda message: None) -> int:
    """Loads the cases of every client of `clinic`; returns how many. Refuses nothing: the caller
    only calls it for a clinic without cases."""
    maker = CaseMaker(
        random.Random(seed),  # noqa: S311 (invented test data, reproducible by design)
        clinic,
        scale_attorneys(clinic),
        {court.code: court for court in Court.objects.filter(code__in=COURTS)},
        today,
    )
    family = _derivative_family(clinic)
    total = 0
    clients = Client.objects.filter(clinic=clinic).order_by("pk").values("id", "last_entry_date")
    with transaction.atomic():
        batch = []
        for client in clients.iterator(chunk_size=BATCH_CLIENTS):
            batch += maker.cases_for(client, family.get(client["id"], []))
            if len(batch) >= BATCH_CLIENTS:
                total += _write(clinic, maker, batch)
                batch = []
                log(f"{clinic.slug}: {total} cases")
        total += _write(clinic, maker, batch)
        CaseNumberCounter.objects.bulk_create(
            [CaseNumberCounter(clinic=clinic, year=year, last=last) for year, last in maker.sequences.items()]
        )
    return total


def _derivative_family(clinic: Clinic) -> dict[int, list[int]]:
    """Each client's spouse and children in the US: who goes on the application."""
    rows = FamilyMember.objects.filter(
        client__clinic=clinic, relationship__in=("spouse", "child"), location=FamilyMember.Location.IN_US
    ).values_list("client_id", "pk")
    family: dict[int, list[int]] = {}
    for client_id, member_id in rows:
        family.setdefault(client_id, []).append(member_id)
    return family


CASE_FIELDS = (
    "clinic_id", "number", "year", "sequence", "client_id", "process", "court_id", "asylum_office", "status",
    "last_arrival_date", "opened_on", "closed_on", "closing_reason", "eoir28_scope", "funding_source",
    "eligibility_basis", "outcome", "appeal", "in_absentia", "closed_with_open_deadlines", "created_at", "updated_at",
)  # fmt: skip


def _write(clinic: Clinic, maker: CaseMaker, batch: list[dict]) -> int:
    if not batch:
        return 0
    now = datetime.now(tz=ZoneInfo("UTC"))
    case_ids = bulk.insert_rows(Case, CASE_FIELDS, [_case_row(clinic, case, now) for case in batch])
    claims = [Claim(case_id=pk) for pk in case_ids]  # every field, with the model's defaults
    bulk.insert(Claim, claims)
    claim_ids = [claim.pk for claim in claims]
    _children(maker, batch, case_ids, claim_ids, now)
    return len(batch)


def _case_row(clinic: Clinic, case: dict, now: datetime) -> tuple:
    closed = case["closed_on"]
    return (
        clinic.pk, case["number"], case["year"], case["sequence"], case["client_id"], case["process"],
        case["court"].pk if case["court"] else None, "", case["status"], case["last_arrival_date"], case["opened_on"],
        closed, "I" if closed else "", "", "", "", "", "", False, False, now, now,
    )  # fmt: skip


def _children(maker: CaseMaker, batch: list[dict], case_ids: list[int], claim_ids: list[int], now: datetime) -> None:
    assignments, relief, hearings, incidents, notes, bars, family = [], [], [], [], [], [], []
    for case, case_id, claim_id in zip(batch, case_ids, claim_ids, strict=True):
        assignments.append((case_id, case["lead"], CaseAssignment.Role.LEAD, now))
        if case["team"] and case["team"] != case["lead"]:
            assignments.append((case_id, case["team"], CaseAssignment.Role.TEAM, now))
        kinds = ("asylum", "withholding", "cat") if case["court"] else ("asylum",)
        relief += [(case_id, *decision) for decision in maker.decisions(case, kinds)]
        hearings += [(case_id, *hearing, "", "", "", "", "", "", now) for hearing in maker.hearings(case)]
        incidents += [
            (claim_id, day, place, text, "", reported, "", False, False)
            for day, place, text, reported in maker.incidents()
        ]
        notes += [
            (case_id, case["lead"], now, text, False) for text in ("Intake interview done.", "Declaration drafted.")
        ]
        bars += [(claim_id, bar, "unknown", "unknown", "") for bar in BarCheck.Bar.values]
        family += [(case_id, member) for member in case["family"]]
    bulk.insert_rows(CaseAssignment, ("case_id", "user_id", "role", "assigned_at"), assignments, ids=False)
    bulk.insert_rows(ReliefApplication, ("case_id", "kind", "decision", "decided_on"), relief, ids=False)
    bulk.insert_rows(
        Hearing,
        ("case_id", "kind", "court_id", "time_zone", "starts_at", "medium", "location", "judge", "interpreter_language",
         "result", "adjournment_reason", "notes", "created_at"),
        hearings,
        ids=False,
    )  # fmt: skip
    bulk.insert_rows(
        HarmIncident,
        (
            "claim_id",
            "occurred_on",
            "place",
            "description",
            "perpetrators",
            "reported_to_police",
            "police_response",
            "date_is_approximate",
            "police_failed_to_act",
        ),
        incidents,
        ids=False,
    )
    bulk.insert_rows(CaseNote, ("case_id", "author_id", "created_at", "text", "privileged"), notes, ids=False)
    bulk.insert_rows(BarCheck, ("claim_id", "bar", "applies", "rebutted", "note"), bars, ids=False)
    bulk.insert_rows(Case.included_family.through, ("case_id", "familymember_id"), family, ids=False)


def clinics_without_cases(clinics) -> list[Clinic]:
    counted = Clinic.objects.filter(pk__in=[c.pk for c in clinics]).annotate(n=Count("cases"))
    return [clinic for clinic in counted if clinic.n == 0]

"""Deadlines for the scale data set: about 10 per case, 1,200,000 for 120,000 cases.

Loaded by `manage.py seed_scale` after the cases (cases.scale), from the cases and hearings in the
database, so that a data set loaded before deadlines existed gets them too. Each case gets what the
deadline engine would have computed (the one-year filing deadline from the last arrival, met for
the 90% of cases past the consultation whose I-589 was filed, which also sets the case's
`i589_received_on` and starts the two EAD dates; the filing deadline before each master and merits
hearing; all with rule version, trigger key, explanation and citation; none on a detained docket,
where the judge sets the dates) and a few deadlines entered by hand. Past ones are mostly done,
some waived or withdrawn, a few still open (overdue); future ones mostly open. Open ones carry the
next reminder day the services and the daily sweep would have left (`next_reminder_on`).
Deterministic for a seed and the same cases.

Only for benchmarks: the rows are what the services would write, without audit.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from cases import reminder_plan
from cases.deadline_rules import Computation, compute
from cases.deadline_services import MANUAL_LEAD_DAYS, ONE_YEAR_RULE_START, _in_force
from cases.models import (
    Case,
    CaseAssignment,
    ClinicLeadTime,
    Court,
    Deadline,
    DeadlineRuleVersion,
    Hearing,
)
from clients import bulk
from clinic.models import Clinic

BATCH_CASES = 5000
UTC = ZoneInfo("UTC")
RULE_OF_HEARING = {Hearing.Kind.MASTER: "master_hearing_filing", Hearing.Kind.INDIVIDUAL: "merits_hearing_filing"}
# Deadlines entered by hand, with how many days after the case was opened they tend to fall.
MANUAL = (
    ("Client declaration: first draft", 20, 120),
    ("Country conditions evidence packet", 30, 240),
    ("Certified translations of identity documents", 14, 180),
    ("Witness declarations", 45, 300),
    ("Psychological evaluation report", 60, 360),
    ("FOIA request to USCIS and CBP", 7, 60),
    ("Medical records from the clinic", 30, 200),
    ("Biometrics appointment", 30, 150),
    ("Fee waiver or filing fee check", 10, 90),
    ("Prepare client for testimony", 120, 700),
)
# (defensive, affirmative): how many manual deadlines, from .. to (inclusive).
MANUAL_COUNT = {Case.Process.DEFENSIVE: (2, 4), Case.Process.AFFIRMATIVE: (5, 8)}
# Of past deadlines of an open case: done, waived, withdrawn, still open (overdue).
PAST_STATUSES = (Deadline.Status.DONE, Deadline.Status.WAIVED, Deadline.Status.WITHDRAWN, Deadline.Status.OPEN)
PAST_WEIGHTS = (86, 3, 4, 7)
FUTURE_DONE = 0.06  # filed early
I589_FILED = 0.9  # of cases past the consultation
EAD_RULES = ("ead_earliest_filing", "ead_earliest_grant")

FIELDS = (
    "case_id", "title", "due_on", "status", "note", "rule_version_id", "trigger_key", "trigger_on",
    "computed_due_on", "explanation", "citation", "judge_ordered", "next_reminder_on", "created_at",
    "created_by_id", "finished_at", "finished_by_id",
)  # fmt: skip


def next_reminder_on(due_on: date, lead_days, today: date) -> date | None:
    """The next reminder day an open deadline has today: the first stage (what the services set,
    `reminder_plan.first_reminder_on`) while it is still ahead; once stages passed, the daily
    sweep sent them, so the next stage from today on (None after the overdue escalation)."""
    first = reminder_plan.first_reminder_on(due_on, lead_days, today)
    if first > today:
        return first
    return reminder_plan.current_stage(due_on, lead_days, today - timedelta(days=1))[1]


class DeadlineMaker:
    def __init__(self, rng: random.Random, clinic: Clinic, today: date):
        self.rng, self.today = rng, today
        self.versions: dict[str, list[DeadlineRuleVersion]] = {}
        for version in DeadlineRuleVersion.objects.select_related("rule").order_by("pk"):
            self.versions.setdefault(version.rule.code, []).append(version)
        own = dict(ClinicLeadTime.objects.filter(clinic=clinic).values_list("rule_id", "lead_days"))
        self.leads = {
            version.pk: tuple(own.get(version.rule_id, version.lead_days))
            for versions in self.versions.values()
            for version in versions
        }
        self.detained = set(Court.objects.filter(detained=True).values_list("pk", flat=True))
        self.now = datetime.now(tz=UTC)
        self._compute = lru_cache(maxsize=None)(self._computation)

    def _computation(self, code: str, trigger_on: date) -> tuple[DeadlineRuleVersion, Computation]:
        version = _in_force(self.versions[code], trigger_on)
        return version, compute(version.spec(), trigger_on)

    def i589_received_on(self, status: str, opened_on: date) -> date | None:
        """Most clients have their asylum application filed within months of the first meeting."""
        if status == Case.Status.CONSULTATION or self.rng.random() >= I589_FILED:
            return None
        filed = opened_on + timedelta(days=self.rng.randint(14, 150))
        return filed if filed < self.today else None

    def rows(self, case: tuple, hearings: list[tuple], lead: int | None) -> tuple[list[tuple], date | None]:
        """The deadline rows of a case, and the day its I-589 was received (None: not filed)."""
        case_id, process, status, court_id, opened_on, closed_on, arrival = case
        closed = closed_on if status == Case.Status.CLOSED else None
        received = self.i589_received_on(status, opened_on)
        made = []
        if arrival:
            one_year = self._computed(case_id, "one_year_filing", "case:arrival", max(arrival, ONE_YEAR_RULE_START))
            if received:  # met by the filing (or its exception argued in it)
                one_year.update(_status=Deadline.Status.DONE, _finished_on=min(received, one_year["due_on"]))
            elif one_year["due_on"] < self.today and not closed:
                # Missed without a filing: still open (overdue), or waived while an exception is argued.
                one_year["_status"] = self.rng.choice((Deadline.Status.OPEN, Deadline.Status.WAIVED))
            made.append(one_year)
        if received:
            made += [self._computed(case_id, code, "case:i589", received) for code in EAD_RULES]
        for hearing_id, kind, court, day in hearings:
            code = RULE_OF_HEARING.get(kind)
            if code and (court or court_id) in self.detained:
                made.append(self._judge_ordered(case_id, day))
            elif code:
                made.append(self._computed(case_id, code, f"hearing:{hearing_id}", day))
            elif kind == Hearing.Kind.INTERVIEW:
                made.append(self._manual(case_id, "Prepare client for the asylum interview", day - timedelta(days=7)))
        low, high = MANUAL_COUNT[process]
        for title, earliest, latest in self.rng.sample(MANUAL, self.rng.randint(low, high)):
            made.append(self._manual(case_id, title, opened_on + timedelta(days=self.rng.randint(earliest, latest))))
        return [self._finish(row, closed, lead) for row in made], received

    def _computed(self, case_id: int, code: str, key: str, trigger_on: date) -> dict:
        version, computation = self._compute(code, trigger_on)
        return {
            "case_id": case_id,
            "title": str(version.rule.title),
            "due_on": computation.due_on,
            "rule_version_id": version.pk,
            "trigger_key": key,
            "trigger_on": trigger_on,
            "computed_due_on": computation.due_on,
            "explanation": computation.explanation,
            "citation": computation.citation,
            "judge_ordered": False,
            "note": "",
        }

    def _manual(self, case_id: int, title: str, due_on: date, **fields) -> dict:
        return {
            "case_id": case_id,
            "title": title,
            "due_on": due_on,
            "rule_version_id": None,
            "trigger_key": "",
            "trigger_on": None,
            "computed_due_on": None,
            "explanation": "",
            "citation": "",
            "judge_ordered": False,
            "note": "",
            **fields,
        }

    def _judge_ordered(self, case_id: int, hearing_day: date) -> dict:
        due = hearing_day - timedelta(days=self.rng.choice((10, 14, 15, 21)))
        return self._manual(case_id, "Filings due under the judge's scheduling order", due, judge_ordered=True)

    def _finish(self, row: dict, closed: date | None, lead: int | None) -> tuple:
        due, rng = row["due_on"], self.rng
        forced, finished_on = row.pop("_status", None), row.pop("_finished_on", None)
        if forced:
            status = forced
        elif closed is not None:
            status = Deadline.Status.WITHDRAWN if due > closed or rng.random() < 0.06 else Deadline.Status.DONE
        elif due < self.today:
            status = rng.choices(PAST_STATUSES, PAST_WEIGHTS)[0]
        else:
            status = Deadline.Status.DONE if rng.random() < FUTURE_DONE else Deadline.Status.OPEN
        reminder, finished_at, finished_by = None, None, None
        if status == Deadline.Status.OPEN:
            leads = self.leads[row["rule_version_id"]] if row["rule_version_id"] else MANUAL_LEAD_DAYS
            reminder = next_reminder_on(due, leads, self.today)
        else:
            day = finished_on or min(due - timedelta(days=rng.randrange(10)), closed or self.today, self.today)
            finished_at, finished_by = datetime.combine(day, time(17, rng.randrange(60)), UTC), lead
            if status == Deadline.Status.WITHDRAWN:
                row["note"] = "The case was closed." if closed and due > closed else "No longer needed."
        values = {
            **row,
            "status": status,
            "next_reminder_on": reminder,
            "created_at": self.now,
            "created_by_id": lead,
            "finished_at": finished_at,
            "finished_by_id": finished_by,
        }
        return tuple(values[name] for name in FIELDS)


def seed_deadlines(*, clinic: Clinic, seed: int, today: date, log: Callable[[str], None] = lambda message: None) -> int:
    """Loads the deadlines of every case of `clinic`; returns how many. The caller only calls it
    for a clinic without deadlines; one transaction, so an interrupted load leaves none."""
    maker = DeadlineMaker(random.Random(f"{seed}:{clinic.slug}:deadlines"), clinic, today)  # noqa: S311
    cases = list(
        Case.objects.filter(clinic=clinic)
        .order_by("pk")
        .values_list("pk", "process", "status", "court_id", "opened_on", "closed_on", "last_arrival_date")
    )
    total = 0
    with transaction.atomic():
        for start in range(0, len(cases), BATCH_CASES):
            batch = cases[start : start + BATCH_CASES]
            ids = [case[0] for case in batch]
            hearings = _hearings_of(ids)
            leads = dict(
                CaseAssignment.objects.filter(case_id__in=ids, role=CaseAssignment.Role.LEAD).values_list(
                    "case_id", "user_id"
                )
            )
            rows, received = [], {}
            for case in batch:
                made, received[case[0]] = maker.rows(case, hearings.get(case[0], []), leads.get(case[0]))
                rows += made
            _set_i589_received(received)
            bulk.insert_rows(Deadline, FIELDS, rows, ids=False)
            total += len(rows)
            log(f"{clinic.slug}: {total} deadlines ({start + len(batch)} of {len(cases)} cases)")
    return total


def _set_i589_received(received: dict[int, date | None]) -> None:
    """Writes each case's I-589 receipt day (one UPDATE a batch on PostgreSQL)."""
    if connection.vendor != "postgresql":
        cases = [Case(pk=pk, i589_received_on=day) for pk, day in received.items()]
        Case.objects.bulk_update(cases, ["i589_received_on"], batch_size=2000)
        return
    table = connection.ops.quote_name(Case._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS c SET i589_received_on = v.day "  # noqa: S608 (a table name, not input)
            "FROM unnest(%s::bigint[], %s::date[]) AS v(id, day) WHERE c.id = v.id "
            "AND c.i589_received_on IS DISTINCT FROM v.day",
            [list(received), list(received.values())],
        )


def _hearings_of(case_ids: list[int]) -> dict[int, list[tuple]]:
    """{case id: [(hearing id, kind, court id, local day), ...]} in date order."""
    found: dict[int, list[tuple]] = {}
    rows = (
        Hearing.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "starts_at", "pk")
        .values_list("case_id", "pk", "kind", "court_id", "starts_at", "time_zone")
    )
    zones: dict[str, ZoneInfo] = {}
    for case_id, pk, kind, court_id, starts_at, zone in rows:
        tz = zones.get(str(zone)) or zones.setdefault(str(zone), ZoneInfo(str(zone)))
        found.setdefault(case_id, []).append((pk, kind, court_id, starts_at.astimezone(tz).date()))
    return found


def clinics_without_deadlines(clinics) -> list[Clinic]:
    """Clinics with cases but no deadlines yet."""
    return [
        clinic
        for clinic in clinics
        if Case.objects.filter(clinic=clinic).exists() and not Deadline.objects.filter(case__clinic=clinic).exists()
    ]


def analyze_deadlines() -> None:
    """Fresh planner statistics after a bulk load (and VACUUM outside a transaction, for
    index-only scans), as clients.scale.analyze_name_tables does for the other tables."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    table = connection.ops.quote_name(Deadline._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}" if vacuum else f"ANALYZE {table}")

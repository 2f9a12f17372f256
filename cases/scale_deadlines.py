"""Deadlines for the scale data set: 10 per case on average, 1,200,000 for 120,000 cases.

`manage.py seed_scale` makes them with the cases (cases.scale.CaseStreams, in a forked process);
seed_deadlines makes the same from the cases and hearings in the database, for a data set loaded
before deadlines existed (only the cases of the clients seed_scale loaded that have none: in the
demo clinic, not the demo's own cases). Each case gets what the deadline engine would have
computed (the one-year filing deadline from the last arrival, met for the 90% of cases past the
consultation whose I-589 was filed (I589Draws, which sets the case's `i589_received_on`) and
the two EAD dates from that filing; the filing deadline before each master and merits hearing;
all with rule version, trigger key, explanation and citation; none on a detained docket, where
the judge sets the dates) and a few deadlines entered by hand. Past ones are mostly done, some
waived or withdrawn, a few still open (overdue); future ones mostly open. Open ones carry the
next reminder day the services and the daily sweep would have left (`next_reminder_on`).
Deterministic for a seed and the same cases.

Only for benchmarks: the rows are what the services would write, without audit.
"""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection

from cases import reminder_plan
from cases.deadline_rules import compute
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
from clients.scale import weighted_choice
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
# How many manual deadlines a case has, from .. to (inclusive): an affirmative case has no court
# deadlines, so the clinic sets more of its own. With the computed ones, 10 a case on average.
MANUAL_COUNT = {Case.Process.DEFENSIVE: (2, 4), Case.Process.AFFIRMATIVE: (5, 9)}
# Of past deadlines of an open case: done, waived, withdrawn, still open (overdue).
PAST_STATUSES = (Deadline.Status.DONE, Deadline.Status.WAIVED, Deadline.Status.WITHDRAWN, Deadline.Status.OPEN)
PAST_WEIGHTS = (86, 3, 4, 7)
FUTURE_DONE = 0.06  # filed early
I589_FILED = 0.9  # of cases past the consultation
EAD_RULES = ("ead_earliest_filing", "ead_earliest_grant")

FIELDS = (
    "case_id", "title", "due_on", "status", "note", "rule_version_id", "trigger_key", "trigger_on",
    "computed_due_on", "explanation", "citation", "judge_ordered", "next_reminder_on", "created_by_id",
    "finished_at", "finished_by_id",
)  # fmt: skip
OPEN, DONE = Deadline.Status.OPEN.value, Deadline.Status.DONE.value
WAIVED, WITHDRAWN = Deadline.Status.WAIVED.value, Deadline.Status.WITHDRAWN.value
CLOSED = Case.Status.CLOSED.value


def next_reminder_on(due_on: date, lead_days, today: date) -> date | None:
    """The next reminder day an open deadline has today: the first stage (what the services set,
    `reminder_plan.first_reminder_on`) while it is still ahead; once stages passed, the daily
    sweep sent them, so the next stage from today on (None after the overdue escalation)."""
    first = reminder_plan.first_reminder_on(due_on, lead_days, today)
    if first > today:
        return first
    return reminder_plan.current_stage(due_on, lead_days, today - timedelta(days=1))[1]


class Draft(NamedTuple):
    """A deadline before its status is settled."""

    title: str
    due_on: date
    rule_version_id: int | None
    trigger_key: str
    trigger_on: date | None
    computed_due_on: date | None
    explanation: str
    citation: str
    judge_ordered: bool = False
    status: str | None = None  # settled already (the one-year deadline)
    finished_on: date | None = None


class DeadlineMaker:
    def __init__(self, rng: random.Random, clinic: Clinic, today: date, computations: dict | None = None):
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
        # The same rule and trigger day give the same deadline: 120,000 cases have about 12,000,
        # each a millisecond to explain (dates written out); the clinics of a load share them.
        self.computations = {} if computations is None else computations
        self._reminder = lru_cache(maxsize=None)(next_reminder_on)

    def computed(self, code: str, key: str, trigger_on: date) -> Draft:
        draft = self.computations.get((code, trigger_on))
        if draft is None:
            version = _in_force(self.versions[code], trigger_on)
            computation = compute(version.spec(), trigger_on)
            due, why, citation = computation.due_on, computation.explanation, computation.citation
            draft = Draft(str(version.rule.title), due, version.pk, "", trigger_on, due, why, citation)
            self.computations[code, trigger_on] = draft
        title, due, version_id, _key, trigger_on, computed_due, why, citation = draft[:8]
        return Draft(title, due, version_id, key, trigger_on, computed_due, why, citation)

    def rows(self, case: tuple, received: date | None, hearings: list[tuple], lead: int | None) -> list[tuple]:
        """The deadline rows (FIELDS) of a case whose I-589 was received on `received` (None: not
        filed), with its hearings [(hearing id, kind, court id, local day), ...] in date order."""
        case_id, process, status, court_id, opened_on, closed_on, arrival = case
        closed = closed_on if status == CLOSED else None
        made = []
        if arrival:
            one_year = self.computed("one_year_filing", "case:arrival", max(arrival, ONE_YEAR_RULE_START))
            if received:  # met by the filing (or its exception argued in it)
                one_year = one_year._replace(status=DONE, finished_on=min(received, one_year.due_on))
            elif one_year.due_on < self.today and not closed:
                # Missed without a filing: still open (overdue), or waived while an exception is argued.
                one_year = one_year._replace(status=self.rng.choice((OPEN, WAIVED)))
            made.append(one_year)
        if received:
            made += [self.computed(code, "case:i589", received) for code in EAD_RULES]
        for hearing_id, kind, court, day in hearings:
            code = RULE_OF_HEARING.get(kind)
            if code and (court or court_id) in self.detained:
                made.append(self._judge_ordered(day))
            elif code:
                made.append(self.computed(code, f"hearing:{hearing_id}", day))
            elif kind == INTERVIEW:
                made.append(_manual("Prepare client for the asylum interview", day - timedelta(days=7)))
        low, high = MANUAL_COUNT[process]
        for title, earliest, latest in self.rng.sample(MANUAL, self.rng.randint(low, high)):
            made.append(_manual(title, opened_on + timedelta(days=self.rng.randint(earliest, latest))))
        return [self._finish(case_id, draft, closed, lead) for draft in made]

    def _judge_ordered(self, hearing_day: date) -> Draft:
        due = hearing_day - timedelta(days=self.rng.choice((10, 14, 15, 21)))
        return _manual("Filings due under the judge's scheduling order", due)._replace(judge_ordered=True)

    def _finish(self, case_id: int, draft: Draft, closed: date | None, lead: int | None) -> tuple:
        title, due, version_id, key, trigger_on, computed_due, why, citation, judge_ordered, forced, finished = draft
        rng, today = self.rng, self.today
        note = ""
        if forced:
            status = forced
        elif closed is not None:
            status = WITHDRAWN if due > closed or rng.random() < 0.06 else DONE
        elif due < today:
            status = weighted_choice(rng, PAST_STATUSES, _PAST_CUMULATIVE)
        else:
            status = DONE if rng.random() < FUTURE_DONE else OPEN
        reminder, finished_at, finished_by = None, None, None
        if status == OPEN:
            reminder = self._reminder(due, self.leads[version_id] if version_id else MANUAL_LEAD_DAYS, today)
        else:
            day = finished or min(due - _DAYS[rng.randrange(10)], closed or today, today)
            finished_at, finished_by = datetime.combine(day, _AFTER_FIVE[rng.randrange(60)], UTC), lead
            if status == WITHDRAWN:
                note = "The case was closed." if closed and due > closed else "No longer needed."
        return (
            case_id, title, due, status, note, version_id, key, trigger_on, computed_due, why, citation,
            judge_ordered, reminder, lead, finished_at, finished_by,
        )  # fmt: skip


_PAST_CUMULATIVE = tuple(accumulate(PAST_WEIGHTS))
_DAYS = tuple(timedelta(days=n) for n in range(10))
_AFTER_FIVE = tuple(time(17, minute) for minute in range(60))
INTERVIEW = Hearing.Kind.INTERVIEW.value


def _manual(title: str, due_on: date) -> Draft:
    return Draft(title, due_on, None, "", None, None, "", "")


class I589Draws:
    """The day each case's I-589 was received, drawn on their own (whoever writes the case, here
    or cases.scale.CaseStream, draws the same days in case order): most clients have their
    asylum application filed within months of the first meeting."""

    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today

    def received(self, status: str, opened_on: date) -> date | None:
        if status == Case.Status.CONSULTATION or self.rng.random() >= I589_FILED:
            return None
        filed = opened_on + timedelta(days=self.rng.randint(14, 150))
        return filed if filed < self.today else None


def deadline_maker(clinic: Clinic, seed: int, today: date, computations: dict | None = None) -> DeadlineMaker:
    rng = random.Random(f"{seed}:{clinic.slug}:deadlines")  # noqa: S311 (invented test data, reproducible by design)
    return DeadlineMaker(rng, clinic, today, computations)


def i589_draws(clinic: Clinic, seed: int, today: date) -> I589Draws:
    return I589Draws(random.Random(f"{seed}:{clinic.slug}:i589"), today)  # noqa: S311 (as above)


def cases_without_deadlines(clinic: Clinic):
    """The cases of the clients seed_scale loaded into `clinic` that have no deadline yet (every
    one gets some)."""
    return Case.objects.filter(clinic=clinic, client__created_by=None, deadlines=None)


def clinics_without_deadlines(clinics) -> list[Clinic]:
    """Clinics some of whose loaded cases have no deadline yet."""
    return [clinic for clinic in clinics if cases_without_deadlines(clinic).exists()]


def seed_deadlines(*, clinic: Clinic, seed: int, today: date, log: Callable[[str], None] = lambda message: None) -> int:
    """Loads the deadlines of the cases seed_scale loaded into `clinic` that have none; returns
    how many. One transaction (written on a second connection while the next batch is made), so an
    interrupted load leaves none."""
    maker, i589 = deadline_maker(clinic, seed, today), i589_draws(clinic, seed, today)
    cases = list(
        cases_without_deadlines(clinic)
        .order_by("pk")
        .values_list("pk", "process", "status", "court_id", "opened_on", "closed_on", "last_arrival_date")
    )
    table = bulk.Table(Deadline, FIELDS)
    total = 0
    with bulk.Writer(Deadline) as writer:
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
                received[case[0]] = day = i589.received(case[2], case[4])
                rows += maker.rows(case, day, hearings.get(case[0], []), leads.get(case[0]))
            writer.call(lambda received=received: _set_i589_received(received))
            writer.copy([table.rows(rows)])
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
    if connection.vendor == "postgresql":
        # The local day in the database: a tenth of the time of converting 400,000 datetimes here.
        table = connection.ops.quote_name(Hearing._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT case_id, id, kind, court_id, (starts_at AT TIME ZONE time_zone)::date "  # noqa: S608
                f"FROM {table} WHERE case_id = ANY(%s) ORDER BY case_id, starts_at, id",
                [case_ids],
            )
            for case_id, *hearing in cursor.fetchall():
                found.setdefault(case_id, []).append(tuple(hearing))
        return found
    rows = (
        Hearing.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "starts_at", "pk")
        .values_list("case_id", "pk", "kind", "court_id", "starts_at", "time_zone")
    )
    for case_id, pk, kind, court_id, starts_at, zone in rows:
        found.setdefault(case_id, []).append((pk, kind, court_id, starts_at.astimezone(ZoneInfo(str(zone))).date()))
    return found


def analyze_deadlines() -> None:
    """Fresh planner statistics after a bulk load (and VACUUM outside a transaction, for
    index-only scans), as clients.scale.analyze_name_tables does for the other tables."""
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    table = connection.ops.quote_name(Deadline._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}" if vacuum else f"ANALYZE {table}")

"""Deadline rules as data and the arithmetic that applies them. Pure: no database.

Sources for every rule: ../shared/domain-rules.md, section 1. Counting follows the immigration
court's rules (ICPM 3.1(c); 8 CFR 1.2 / 1001.1): the trigger day is day 0; for a deadline before a
hearing the hearing day is day 0 and the day before is day 1; a deadline that lands on a Saturday,
Sunday or federal holiday (as observed) moves to the next business day.

The database holds the same rules (DeadlineRule and its versions, seeded from RULES below) so an
admin can add a version with a new effective date; the engine reads a RuleSpec either way.
"""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import dates


class Trigger:
    """What starts a rule's clock. Values are stored; labels are shown."""

    ARRIVAL = "arrival"
    MASTER_HEARING = "master_hearing"
    INDIVIDUAL_HEARING = "individual_hearing"
    FILING_RECEIVED = "filing_received"
    IJ_DECISION = "ij_decision"
    BRIEFING_SCHEDULE = "briefing_schedule"
    FINAL_ORDER = "final_order"
    BIA_ORDER = "bia_order"
    I589_RECEIVED = "i589_received"
    FOIA_RECEIVED = "foia_received"
    ADDRESS_CHANGED = "address_changed"
    RFE_RECEIVED = "rfe_received"

    LABELS = {
        ARRIVAL: gettext_lazy("the last arrival in the US"),
        MASTER_HEARING: gettext_lazy("the master calendar hearing"),
        INDIVIDUAL_HEARING: gettext_lazy("the individual (merits) hearing"),
        FILING_RECEIVED: gettext_lazy("the receipt of the other party's filing"),
        IJ_DECISION: gettext_lazy("the immigration judge's decision"),
        BRIEFING_SCHEDULE: gettext_lazy("the BIA briefing schedule"),
        FINAL_ORDER: gettext_lazy("the final administrative order"),
        BIA_ORDER: gettext_lazy("the BIA's order"),
        I589_RECEIVED: gettext_lazy("the receipt of the I-589"),
        FOIA_RECEIVED: gettext_lazy("the agency's receipt of the FOIA request"),
        ADDRESS_CHANGED: gettext_lazy("the move to a new address"),
        RFE_RECEIVED: gettext_lazy("the request for evidence"),
    }
    CHOICES = list(LABELS.items())


class Counting:
    CALENDAR_DAYS = "calendar_days"
    BUSINESS_DAYS = "business_days"
    YEARS = "years"
    # The trigger carries the date itself (an RFE or NOID states its own response date).
    DATE_ON_NOTICE = "date_on_notice"

    CHOICES = [
        (CALENDAR_DAYS, gettext_lazy("calendar days")),
        (BUSINESS_DAYS, gettext_lazy("business days")),
        (YEARS, gettext_lazy("years")),
        (DATE_ON_NOTICE, gettext_lazy("the date on the notice")),
    ]


class Direction:
    AFTER = "after"
    BEFORE = "before"

    CHOICES = [(AFTER, gettext_lazy("after the trigger")), (BEFORE, gettext_lazy("before the hearing"))]


@dataclass(frozen=True)
class RuleSpec:
    """One version of a rule, in force for triggers on or after `effective_from`."""

    code: str
    title: str
    trigger: str
    offset: int
    citation: str
    lead_days: tuple[int, ...]
    direction: str = Direction.AFTER
    counting: str = Counting.CALENDAR_DAYS
    roll_forward: bool = True
    # True for the EAD clock: days the applicant stopped the clock push the date later.
    adds_clock_stops: bool = False
    effective_from: date | None = None
    source_url: str = ""
    source_note: str = ""


@dataclass(frozen=True)
class Computation:
    due_on: date
    explanation: str
    citation: str
    # For a deadline before a hearing that rolled forward: the business day before, to be safe
    # (domain-rules.md section 0, "set an internal target on the preceding business day").
    target_on: date | None = None
    spec: RuleSpec | None = field(default=None, compare=False)


class RuleError(ValueError):
    """A rule cannot be applied: unknown code, no version in force, bad input."""


def version_in_force(versions: list[RuleSpec], trigger_on: date) -> RuleSpec:
    """The latest version whose effective date is on or before the trigger (for a deadline
    before a hearing, the trigger is the hearing)."""
    in_force = [v for v in versions if v.effective_from is None or v.effective_from <= trigger_on]
    if not in_force:
        raise RuleError(_("No version of this rule was in force on %(day)s.") % {"day": trigger_on.isoformat()})
    return max(in_force, key=lambda v: v.effective_from or date.min)


def _add_business_days(start: date, count: int, step: int = 1) -> date:
    """`count` business days after `start` (or before it, with step -1); `start` is day 0."""
    day = start
    while count > 0:
        day += timedelta(days=step)
        if dates.is_business_day(day):
            count -= 1
    return day


def _raw_date(spec: RuleSpec, trigger_on: date, stopped_days: int) -> date:
    sign = -1 if spec.direction == Direction.BEFORE else 1
    if spec.counting == Counting.DATE_ON_NOTICE:
        return trigger_on
    if spec.counting == Counting.YEARS:
        return dates.add_years(trigger_on, sign * spec.offset)
    if spec.counting == Counting.BUSINESS_DAYS:
        return _add_business_days(trigger_on, spec.offset, sign)
    days = spec.offset + (stopped_days if spec.adds_clock_stops else 0)
    return trigger_on + timedelta(days=sign * days)


def compute(spec: RuleSpec, trigger_on: date, *, stopped_days: int = 0) -> Computation:
    """The due date of `spec` for a trigger on `trigger_on`, with its one-sentence explanation."""
    if stopped_days < 0:
        raise RuleError(_("Clock stops cannot be negative."))
    raw = _raw_date(spec, trigger_on, stopped_days)
    due = dates.roll_forward(raw) if spec.roll_forward else raw
    target = None
    if spec.direction == Direction.BEFORE and due != raw:
        target = raw - timedelta(days=1)
        while not dates.is_business_day(target):
            target -= timedelta(days=1)
    return Computation(
        due_on=due,
        explanation=explain(spec, trigger_on, raw, due, stopped_days, target),
        citation=spec.citation,
        target_on=target,
        spec=spec,
    )


def show(day: date) -> str:
    """Sat 4 Jul 2026: the weekday matters to a reader checking a deadline."""
    return date_format(day, "D j M Y")


def _period(spec: RuleSpec, stopped_days: int) -> str:
    if spec.counting == Counting.YEARS:
        return _("One year") if spec.offset == 1 else _("%(n)d years") % {"n": spec.offset}
    if spec.counting == Counting.BUSINESS_DAYS:
        return _("%(n)d business days") % {"n": spec.offset}
    if spec.adds_clock_stops and stopped_days:
        return _("%(n)d days plus %(stops)d days the clock was stopped") % {"n": spec.offset, "stops": stopped_days}
    return _("%(n)d days") % {"n": spec.offset}


def _why_moved(raw: date) -> str:
    holiday = dates.holiday_name(raw)
    if holiday:
        return _("%(holiday)s, a federal holiday") % {"holiday": holiday}
    return _("a weekend day")


def explain(spec: RuleSpec, trigger_on: date, raw: date, due: date, stopped_days: int, target: date | None) -> str:
    values = {
        "trigger": Trigger.LABELS.get(spec.trigger, spec.trigger),
        "trigger_on": show(trigger_on),
        "raw": show(raw),
        "due": show(due),
        "citation": spec.citation,
        "period": _period(spec, stopped_days),
    }
    if spec.counting == Counting.DATE_ON_NOTICE:
        start = _("The notice sets %(raw)s") % values
    elif spec.direction == Direction.BEFORE:
        start = _("%(period)s before %(trigger)s on %(trigger_on)s is %(raw)s") % values
    else:
        start = _("%(period)s after %(trigger)s on %(trigger_on)s is %(raw)s") % values
    if due != raw:
        moved = _("%(start)s, %(why)s: due %(due)s") % {"start": start, "why": _why_moved(raw), "due": values["due"]}
    elif spec.roll_forward:
        moved = _("%(start)s, a business day: due that day") % {"start": start}
    else:
        moved = _("%(start)s: not before that day") % {"start": start}
    sentence = _("%(sentence)s — %(citation)s.") % {"sentence": moved, "citation": spec.citation}
    if target:
        sentence += " " + _("File by %(target)s to be safe.") % {"target": show(target)}
    return sentence


ICPM_APPENDIX_C = "https://www.justice.gov/eoir/eoir-policy-manual/appendices-c"

# The merits filing deadline: the 2008 default, then each change as a new version of it.
MERITS_2008 = RuleSpec(
    code="merits_hearing_filing",
    title=gettext_lazy("Filings before the individual (merits) hearing"),
    trigger=Trigger.INDIVIDUAL_HEARING,
    offset=15,
    direction=Direction.BEFORE,
    citation="ICPM 3.1(b)(2) (2008 manual)",
    lead_days=(60, 45, 37, 30, 14, 7, 1),
    source_url="https://www.justice.gov/eoir/reference-materials/ic/chapter-3/1",
    source_note="15 days in the Immigration Court Practice Manual from 2008.",
)
MERITS_VERSIONS = (
    MERITS_2008,
    replace(
        MERITS_2008,
        offset=30,
        citation="ICPM 3.1(b)(2) (manual of 23 Dec 2020)",
        effective_from=date(2020, 12, 23),
        source_url="https://immigrantjustice.org/for-attorneys/legal-resources/copy/pro-bono-alert-without-any-warning-eoir-changes-filing-deadline",
        source_note="NIJC: the manual of 23 Dec 2020 changed 15 days to 30 without notice.",
    ),
    replace(
        MERITS_2008,
        citation="ICPM 3.1(b)(2) (DM 22-04, manual of 26 Aug 2022)",
        effective_from=date(2022, 8, 26),
        source_url="https://cliniclegal.org/resources/updates-immigration-court-and-bia-practice-manuals",
        source_note="CLINIC: the manual of 26 Aug 2022 applies DM 22-04's 15-day default.",
    ),
    replace(
        MERITS_2008,
        offset=30,
        citation="ICPM 3.1(b)(2) (DM 22-04 rescinded, Feb 2025)",
        effective_from=date(2025, 2, 1),
        source_url="https://nepyork.com/2025/02/16/eoir-reinstates-30-day-filing-deadline-reducing-time-to-submit-evidence-in-immigration-court/",
        source_note=(
            "The Acting Director's memo rescinding DM 22-04 reinstated 30 days (reported 16 Feb 2025); "
            "the EOIR Policy Manual's Appendix C lists 30 days. 1 Feb 2025 is the date the issue sets; "
            "the memo's own effective day is not verified from the primary source."
        ),
    ),
)

# Reminder lead times (days before the due date) follow domain-rules.md's last column; an
# overdue deadline escalates to the supervisor the day after it is due (reminders.py).
RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        code="one_year_filing",
        title=gettext_lazy("Asylum application (I-589) one-year filing deadline"),
        trigger=Trigger.ARRIVAL,
        offset=1,
        counting=Counting.YEARS,
        citation="INA 208(a)(2)(B); 8 CFR 1208.4(a)(2)",
        lead_days=(180, 90, 60, 30, 14, 7, 1),
        source_url="https://www.law.cornell.edu/cfr/text/8/1208.4",
    ),
    RuleSpec(
        code="master_hearing_filing",
        title=gettext_lazy("Filings before the master calendar hearing"),
        trigger=Trigger.MASTER_HEARING,
        offset=15,
        direction=Direction.BEFORE,
        citation="ICPM 3.1(b)(1)",
        lead_days=(21, 15, 7, 1),
        source_url=ICPM_APPENDIX_C,
    ),
    # The merits filing deadline changed four times; the hearing date chooses the version.
    *MERITS_VERSIONS,
    RuleSpec(
        code="filing_response",
        title=gettext_lazy("Response to the other party's filing"),
        trigger=Trigger.FILING_RECEIVED,
        offset=10,
        citation="ICPM 3.1(b)(1)-(2)",
        lead_days=(7, 3, 1),
        source_url=ICPM_APPENDIX_C,
    ),
    RuleSpec(
        code="bia_appeal",
        title=gettext_lazy("Appeal to the BIA (EOIR-26), received by the Board"),
        trigger=Trigger.IJ_DECISION,
        offset=30,
        citation="8 CFR 1003.38(b)",
        lead_days=(29, 16, 9, 5, 2),
        source_url="https://www.justice.gov/eoir/reference-materials/bia/chapter-4/5",
    ),
    RuleSpec(
        code="bia_brief",
        title=gettext_lazy("Brief to the BIA"),
        trigger=Trigger.BRIEFING_SCHEDULE,
        offset=21,
        citation="BIA Practice Manual 4.7",
        lead_days=(14, 7, 3),
        source_url="https://justice.gov/eoir/reference-materials/bia/chapter-4/7",
    ),
    RuleSpec(
        code="motion_to_reopen",
        title=gettext_lazy("Motion to reopen"),
        trigger=Trigger.FINAL_ORDER,
        offset=90,
        citation="8 CFR 1003.23(b)(1); 8 CFR 1003.2(c)(2)",
        lead_days=(60, 30, 15, 5),
        source_url="https://www.justice.gov/eoir/reference-materials/ic/chapter-5/8",
    ),
    RuleSpec(
        code="motion_to_reconsider",
        title=gettext_lazy("Motion to reconsider"),
        trigger=Trigger.FINAL_ORDER,
        offset=30,
        citation="8 CFR 1003.23(b)(1); ICPM 5.8",
        lead_days=(16, 9, 3),
        source_url="https://www.justice.gov/eoir/reference-materials/ic/chapter-5/8",
    ),
    RuleSpec(
        code="petition_for_review",
        title=gettext_lazy("Petition for review in the court of appeals"),
        trigger=Trigger.BIA_ORDER,
        offset=30,
        citation="8 U.S.C. 1252(b)(1)",
        lead_days=(27, 16, 9, 5, 2),
        source_note="No 3-day mailing extension; a motion to reopen does not toll it (domain-rules.md, rule 8).",
    ),
    RuleSpec(
        code="ead_earliest_filing",
        title=gettext_lazy("Earliest day to file the asylum EAD (I-765, c)(8))"),
        trigger=Trigger.I589_RECEIVED,
        offset=150,
        citation="8 CFR 208.7(a)",
        lead_days=(10, 0),
        roll_forward=False,
        adds_clock_stops=True,
        source_url="https://law.lawstack.com/cfr/8/208.7/",
    ),
    RuleSpec(
        code="ead_earliest_grant",
        title=gettext_lazy("Earliest day the asylum EAD can be granted"),
        trigger=Trigger.I589_RECEIVED,
        offset=180,
        citation="8 CFR 208.7(a)(1)",
        lead_days=(0,),
        roll_forward=False,
        adds_clock_stops=True,
        source_url="https://law.lawstack.com/cfr/8/208.7/",
    ),
    RuleSpec(
        code="foia_response",
        title=gettext_lazy("Agency's answer to the FOIA request"),
        trigger=Trigger.FOIA_RECEIVED,
        offset=20,
        counting=Counting.BUSINESS_DAYS,
        citation="5 U.S.C. 552(a)(6)(A)(i); 6 CFR 5.8",
        lead_days=(0,),
        source_url="https://ecfr.federalregister.gov/current/title-6/chapter-I/part-5/subpart-A/section-5.8",
    ),
    RuleSpec(
        code="change_of_address",
        title=gettext_lazy("Change of address to the court (EOIR-33)"),
        trigger=Trigger.ADDRESS_CHANGED,
        offset=5,
        citation="8 CFR 1003.15(d)(2); ICPM 2.2(c)",
        lead_days=(4, 2, 1),
        source_url=ICPM_APPENDIX_C,
    ),
    RuleSpec(
        code="rfe_response",
        title=gettext_lazy("Response to the request for evidence"),
        trigger=Trigger.RFE_RECEIVED,
        offset=0,
        counting=Counting.DATE_ON_NOTICE,
        citation="8 CFR 103.2(b)(8)",
        lead_days=(14, 7, 3),
    ),
)


def rule_codes() -> list[str]:
    return sorted({spec.code for spec in RULES})


def versions_of(code: str, rules: tuple[RuleSpec, ...] = RULES) -> list[RuleSpec]:
    found = [spec for spec in rules if spec.code == code]
    if not found:
        raise RuleError(_("Unknown rule code %(code)s.") % {"code": code})
    return found

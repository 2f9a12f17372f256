"""Every write of hearings and interviews: schedule, change, record the result, delete. Keyword-only,
atomic, audited by case number (never the client's name).

Times arrive as a local date and clock times with no zone. They are made aware here, in the court's
zone (an interview, or a hearing with no court: the zone the user chose), by cases/hearing_times.py,
and stored in UTC with the zone used."""

from datetime import date, datetime, time, tzinfo
from zoneinfo import ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import hearing_times
from cases.access import require_change
from cases.dates import add_years
from cases.deadline_services import sync_case_deadlines
from cases.models import Case, Court, Hearing
from cases.services import audit_case
from clinic.models import AuditEvent

Action = AuditEvent.Action
Kind, Result = Hearing.Kind, Hearing.Result

# A new hearing dated further back than this is almost always a typo in the year; one further ahead
# than the longest court backlog, too (and it keeps the arithmetic far from datetime's limits).
YEARS_BACK, YEARS_AHEAD = 1, 10
# Results that say the hearing took place: not possible before it starts. A cancellation is.
RESULTS_AFTER_START = (Result.HELD, Result.ADJOURNED, Result.DECIDED)
FIELDS = (
    "kind", "court", "location", "time_zone", "judge", "starts_at", "ends_at", "medium",
    "interpreter_language", "notes",
)  # fmt: skip


def hearing_zone(*, kind: str, court: Court | None, chosen: str | tzinfo | None) -> tzinfo | None:
    """The court's zone; an interview (or a hearing with no court) is in the zone the user chose."""
    if court is not None and kind != Kind.INTERVIEW:
        return hearing_times.as_zone(court.time_zone)
    try:
        return hearing_times.as_zone(chosen) if chosen else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _check_place(case: Case, data: dict, errors: dict) -> None:
    court = data.get("court")
    if data["kind"] == Kind.INTERVIEW and court is not None:
        errors["court"] = _("An asylum office interview is not at a court: leave the court empty.")
    elif data["kind"] != Kind.INTERVIEW and court is None and case.process == Case.Process.DEFENSIVE:
        errors["court"] = _("Choose the immigration court of this hearing.")


def _check_day(day: date, zone: tzinfo, *, new: bool, errors: dict) -> None:
    today = timezone.now().astimezone(zone).date()
    if new and day < add_years(today, -YEARS_BACK):
        errors["day"] = _("This date is more than a year ago: check the year.")
    elif day > add_years(today, YEARS_AHEAD):
        errors["day"] = _("This date is more than %(years)d years ahead: check the year.") % {"years": YEARS_AHEAD}


def _nonexistent(day: date, clock: time, zone: tzinfo) -> str:
    return _(
        "%(time)s does not exist on %(day)s in %(zone)s: the clocks skip that hour when daylight saving time "
        "starts. Check the time on the notice."
    ) % {"time": f"{clock:%H:%M}", "day": hearing_times.format_day(day), "zone": zone}


def _times(data: dict, zone: tzinfo, errors: dict) -> tuple[datetime | None, datetime | None]:
    day, starts, ends = data["day"], data["starts"], data.get("ends")
    starts_at = ends_at = None
    try:
        starts_at = hearing_times.to_utc(day, starts, zone)
    except hearing_times.NonexistentTimeError:
        errors["starts"] = _nonexistent(day, starts, zone)
    if ends is not None:
        try:
            ends_at = hearing_times.to_utc(day, ends, zone)
        except hearing_times.NonexistentTimeError:
            errors["ends"] = _nonexistent(day, ends, zone)
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends"] = _("The end must be after the start (%(start)s).") % {"start": f"{starts:%H:%M}"}
    return starts_at, ends_at


def _values(case: Case, data: dict, *, new: bool) -> dict:
    """The model's values from the form's, or ValidationError naming each field that is wrong."""
    errors: dict[str, str] = {}
    _check_place(case, data, errors)
    zone = hearing_zone(kind=data["kind"], court=data.get("court"), chosen=data.get("time_zone"))
    starts_at = ends_at = None
    if zone is None:
        errors["time_zone"] = _("Choose the time zone the hearing or interview is in.")
    else:
        _check_day(data["day"], zone, new=new, errors=errors)
        if "day" not in errors:
            starts_at, ends_at = _times(data, zone, errors)
    if errors:
        raise ValidationError(errors)
    court = None if data["kind"] == Kind.INTERVIEW else data.get("court")
    return {
        "kind": data["kind"], "court": court, "location": data.get("location", "").strip(), "time_zone": zone,
        "judge": data.get("judge", "").strip(), "starts_at": starts_at, "ends_at": ends_at,
        "medium": data.get("medium") or Hearing.Medium.IN_PERSON,
        "interpreter_language": data.get("interpreter_language", ""), "notes": data.get("notes", "").strip(),
    }  # fmt: skip


def _same(field: str, old, new) -> bool:
    # Zones compare by name: two ZoneInfo objects of one zone need not be the same object.
    return str(old) == str(new) if field == "time_zone" else old == new


def _summary(hearing: Hearing, verb: str) -> str:
    return f"{hearing.kind} {verb}, {hearing.starts_at:%Y-%m-%d %H:%M} UTC ({hearing.time_zone})"


@transaction.atomic
def hearing_schedule(*, actor, case: Case, data: dict, request=None) -> Hearing:
    """Adds a hearing or interview to the case, its time given locally in `data` (day, starts, ends)."""
    require_change(actor, case)
    hearing = Hearing(case=case, **_values(case, data, new=True))
    hearing.full_clean()
    hearing.save()
    audit_case(actor, Action.CREATE, case, _summary(hearing, "scheduled"), request=request, obj=hearing)
    sync_case_deadlines(case=case, actor=actor, request=request)
    return hearing


@transaction.atomic
def hearing_update(*, actor, hearing: Hearing, data: dict, request=None) -> Hearing:
    """Changes the hearing's type, place, time, judge, medium, interpreter or notes."""
    require_change(actor, hearing.case)
    moved = data["day"] != hearing_times.local_day(hearing.starts_at, hearing.time_zone)
    values = _values(hearing.case, data, new=moved)
    changed = [field for field in FIELDS if not _same(field, getattr(hearing, field), values[field])]
    if not changed:
        return hearing
    for field in changed:
        setattr(hearing, field, values[field])
    hearing.full_clean()
    hearing.save(update_fields=changed)
    audit_case(actor, Action.UPDATE, hearing.case, _summary(hearing, "changed"), changed, request, obj=hearing)
    sync_case_deadlines(case=hearing.case, actor=actor, request=request)
    return hearing


@transaction.atomic
def hearing_record_result(
    *, actor, hearing: Hearing, result: str, adjournment_reason: str = "", notes: str | None = None, request=None
) -> Hearing:
    """Records what happened: held, adjourned (with the reason), cancelled or decided. An empty
    `result` takes a result recorded by mistake back."""
    require_change(actor, hearing.case)
    reason = adjournment_reason.strip() if result == Result.ADJOURNED else ""
    if result in RESULTS_AFTER_START and hearing.starts_at > timezone.now():
        raise ValidationError({"result": _("This hearing has not started yet: it can only be cancelled.")})
    if result == Result.ADJOURNED and not reason:
        raise ValidationError({"adjournment_reason": _("Say why the hearing was adjourned.")})
    values = {"result": result, "adjournment_reason": reason}
    if notes is not None:
        values["notes"] = notes.strip()
    changed = [field for field, value in values.items() if getattr(hearing, field) != value]
    if changed:
        for field in changed:
            setattr(hearing, field, values[field])
        hearing.full_clean()
        hearing.save(update_fields=changed)
        summary = f"{hearing.kind} result: {result or 'none'}"
        audit_case(actor, Action.UPDATE, hearing.case, summary, changed, request, obj=hearing)
        sync_case_deadlines(case=hearing.case, actor=actor, request=request)
    return hearing


@transaction.atomic
def hearing_delete(*, actor, hearing: Hearing, request=None) -> None:
    require_change(actor, hearing.case)
    case = hearing.case
    audit_case(actor, Action.DELETE, case, _summary(hearing, "deleted"), request=request, obj=hearing)
    hearing.delete()
    sync_case_deadlines(case=case, actor=actor, request=request)


def hearing_notice_printed(*, actor, hearing: Hearing, language: str, file_format: str, request=None) -> None:
    """The notice names the client and their hearing: each print is on the record, with its language.
    A look, not a change: any member of staff who may see the case's hearings prints it."""
    summary = (
        f"Notice of the {hearing.kind} of {hearing.starts_at:%Y-%m-%d %H:%M} UTC printed ({file_format}, {language})"
    )
    audit_case(actor, Action.PRINT, hearing.case, summary, request=request, obj=hearing)

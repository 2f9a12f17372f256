"""A person's iCalendar feed of hearings and deadlines (design.md: "Notifications, calendar feeds and
email subjects carry no client names, only case numbers").

What each role gets:
- attorneys: the hearings and open deadlines of the cases they are assigned to;
- supervisors: the hearings and open deadlines of every case of their clinic;
- intake staff: the hearings of every case of their clinic (they answer the clients' calls about
  hearing dates), no deadlines;
- clinic admins: nothing.

An event names the kind of hearing or the deadline's title and the case number, links to the case
and cites the deadline's rule. Nothing else of the case is read: no client, no A-number, no address,
no notes. The feed is read without a session, by its secret token; a deactivated account or one
without a clinic has no feed.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from cases.deadline_services import clinic_today
from cases.models import CalendarFeed, Case, Deadline, Hearing
from clinic.models import Membership
from clinic.scoping import across_clinics

Role = Membership.Role

# The window a feed covers: a month back, two years ahead.
DAYS_BACK = 30
DAYS_AHEAD = 730
# A hearing without an end time is shown as one hour long.
DEFAULT_HEARING_LENGTH = timedelta(hours=1)
# How often calendar programs are asked to fetch the feed again.
REFRESH_INTERVAL = timedelta(hours=1)

HEARING_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)
DEADLINE_ROLES = (Role.ATTORNEY, Role.SUPERVISOR)


@dataclass(frozen=True)
class FeedOwner:
    user: object
    membership: Membership


def site_url(request=None) -> str:
    """The site's own address, without a trailing slash: settings.SITE_URL, else the request's."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def feed_owner(token: str) -> FeedOwner | None:
    """Whose feed `token` opens, or None: unknown or revoked token, deactivated account, no clinic."""
    # Found by its secret token, before anyone is known: the token is the narrowing.
    with across_clinics():
        feed = CalendarFeed.objects.select_related("user", "user__membership__clinic").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        return None
    try:
        membership = feed.user.membership
    except Membership.DoesNotExist:
        return None
    return FeedOwner(user=feed.user, membership=membership)


def feed_cases(membership: Membership) -> QuerySet[Case]:
    """The cases whose dates go into the feed of `membership`'s user (none for a clinic admin)."""
    cases = Case.objects.filter(clinic_id=membership.clinic_id)
    if membership.role == Role.ATTORNEY:
        return cases.filter(assignments__user_id=membership.user_id)
    if membership.role in (Role.SUPERVISOR, Role.INTAKE):
        return cases
    return cases.none()


def feed_hearings(membership: Membership, now: datetime) -> QuerySet[Hearing]:
    if membership.role not in HEARING_ROLES:
        return Hearing.objects.none()
    return (
        Hearing.objects.filter(
            case__in=feed_cases(membership),
            starts_at__gte=now - timedelta(days=DAYS_BACK),
            starts_at__lte=now + timedelta(days=DAYS_AHEAD),
        )
        .exclude(result=Hearing.Result.CANCELLED)
        .select_related("case", "court")
        .only(
            "pk", "kind", "starts_at", "ends_at", "medium", "location", "case", "case__number", "court", "court__name"
        )
        .order_by("starts_at", "pk")
    )


def feed_deadlines(membership: Membership, today: date) -> QuerySet[Deadline]:
    if membership.role not in DEADLINE_ROLES:
        return Deadline.objects.none()
    return (
        Deadline.objects.filter(
            case__in=feed_cases(membership),
            status=Deadline.Status.OPEN,
            due_on__gte=today - timedelta(days=DAYS_BACK),
            due_on__lte=today + timedelta(days=DAYS_AHEAD),
        )
        .select_related("case")
        .only("pk", "title", "due_on", "citation", "case", "case__number")
        .order_by("due_on", "pk")
    )


HEARING_LABELS = {
    Hearing.Kind.MASTER: lambda: _("Master calendar hearing"),
    Hearing.Kind.INDIVIDUAL: lambda: _("Individual hearing"),
    Hearing.Kind.CUSTODY: lambda: _("Bond hearing"),
    Hearing.Kind.INTERVIEW: lambda: _("Asylum interview"),
}


def hearing_summary(hearing: Hearing) -> str:
    label = HEARING_LABELS.get(hearing.kind, hearing.get_kind_display)()
    return _("%(kind)s — %(case)s") % {"kind": label, "case": hearing.case.number}


def deadline_summary(deadline: Deadline) -> str:
    return _("Due: %(title)s — %(case)s") % {"title": deadline.title, "case": deadline.case.number}


def _case_link(base: str, case: Case) -> str:
    return base + reverse("cases:case-detail", args=[case.pk])


def _uid(kind: str, pk: int, base: str) -> str:
    host = urlsplit(base).hostname or "amparo"
    return f"amparo-{kind}-{pk}@{host}"


def hearing_event(hearing: Hearing, *, base: str, stamp: datetime) -> Event:
    starts = hearing.starts_at.astimezone(UTC)
    ends = hearing.ends_at.astimezone(UTC) if hearing.ends_at else starts + DEFAULT_HEARING_LENGTH
    link = _case_link(base, hearing.case)
    lines = [_("Case %(case)s: %(link)s") % {"case": hearing.case.number, "link": link}]
    if hearing.medium != Hearing.Medium.IN_PERSON:
        lines.append(hearing.get_medium_display())
    event = Event()
    event.add("uid", _uid("hearing", hearing.pk, base))
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", hearing_summary(hearing))
    event.add("description", "\n".join(lines))
    place = hearing.court.name if hearing.court else hearing.location
    if place:
        event.add("location", place)
    event.add("url", link)
    event.add("transp", "OPAQUE")
    return event


def deadline_event(deadline: Deadline, *, base: str, stamp: datetime) -> Event:
    link = _case_link(base, deadline.case)
    lines = [_("Case %(case)s: %(link)s") % {"case": deadline.case.number, "link": link}]
    if deadline.citation:
        lines.append(_("Rule: %(citation)s") % {"citation": deadline.citation})
    event = Event()
    event.add("uid", _uid("deadline", deadline.pk, base))
    event.add("dtstamp", stamp)
    # An all-day event: DTEND is the day after (RFC 5545, 3.6.1).
    event.add("dtstart", deadline.due_on)
    event.add("dtend", deadline.due_on + timedelta(days=1))
    event.add("summary", deadline_summary(deadline))
    event.add("description", "\n".join(lines))
    event.add("url", link)
    event.add("transp", "TRANSPARENT")
    return event


def build_calendar(membership: Membership, *, base: str, now: datetime | None = None) -> Calendar:
    """The feed of `membership`'s user: its hearings and open deadlines in the window."""
    now = now or timezone.now()
    stamp = now.astimezone(UTC).replace(microsecond=0)
    today = clinic_today(membership.clinic, now)
    calendar = Calendar()
    calendar.add("prodid", "-//Amparo//Hearings and deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Amparo: hearings and deadlines"))
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    for hearing in feed_hearings(membership, now):
        calendar.add_component(hearing_event(hearing, base=base, stamp=stamp))
    for deadline in feed_deadlines(membership, today):
        calendar.add_component(deadline_event(deadline, base=base, stamp=stamp))
    return calendar


def feed_of(*, actor) -> CalendarFeed | None:
    """The signed-in person's own feed, if they made one."""
    return CalendarFeed.objects.filter(user=actor).first()


def feed_url(feed: CalendarFeed, request=None) -> str:
    return site_url(request) + reverse("cases:feed-ics", args=[feed.token])

"""The bell: reads and writes of a person's in-app notifications, always scoped to that person.

Another user's notification answers 404, like another clinic's record. A notification's link is
followed only if it is a relative address on this site, never to another host (no open redirect).
"""

from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from clinic.models import Membership, Notification
from clinic.permissions import membership_of, require_role
from clinic.redirects import same_site_path


def notifications_for(*, actor) -> QuerySet[Notification]:
    """The actor's own notifications in their clinic, newest first; 403 for an account without a clinic."""
    membership = require_role(actor)
    return Notification.objects.filter(user=actor, clinic=membership.clinic)


def notification_get(*, actor, pk: int) -> Notification:
    return get_object_or_404(notifications_for(actor=actor), pk=pk)


def unread_count(user) -> int:
    """One query; none for an anonymous visitor or an account without a clinic."""
    membership = membership_of(user)
    if membership is None:
        return 0
    return Notification.objects.unread().filter(user=user, clinic_id=membership.clinic_id).count()


def unread_count_subquery() -> RawSQL:
    """For annotating a Membership query: its user's unread count in its clinic. ClinicMiddleware
    asks for it with the membership it loads on every request, so the bell costs no query of its own.
    Written as SQL text: the same count as an ORM subquery took about 3 ms of CPU to compile on
    every page (benchmarks/bench.py), twice the cost of the whole membership query without it."""
    notification, membership = Notification._meta.db_table, Membership._meta.db_table
    return RawSQL(  # noqa: S611  (table names from the models, no input)
        f"SELECT count(*) FROM {notification} WHERE {notification}.user_id = {membership}.user_id"  # noqa: S608
        f" AND {notification}.clinic_id = {membership}.clinic_id AND {notification}.read_at IS NULL",
        [],
        output_field=IntegerField(),
    )


def notification_open(*, actor, notification: Notification) -> str:
    """Marks the notification read (if it was not) and returns where to go next."""
    if notification.user_id != actor.pk:
        raise Http404
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return same_site_path(notification.url) or reverse("notifications:list")


def notifications_mark_all_read(*, actor) -> int:
    """Marks every unread notification of the actor read; returns how many."""
    return notifications_for(actor=actor).unread().update(read_at=timezone.now())

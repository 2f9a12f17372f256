"""Writes of a person's calendar feed: issue (create or replace) its secret token, revoke it. Audited."""

import secrets

from django.db import transaction
from django.utils import timezone

from cases.access import CASE_ROLES
from cases.models import CalendarFeed
from clinic.audit import audit_record
from clinic.models import AuditEvent
from clinic.permissions import require_role


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _label(actor) -> str:
    return f"Calendar feed of {actor.get_username()}"


@transaction.atomic
def feed_issue(*, actor, request=None) -> CalendarFeed:
    """Gives the actor a feed address, or a new one in place of the old, which stops working at once."""
    require_role(actor, *CASE_ROLES)
    token = new_token()
    # update_or_create locks the row it updates. A replaced address is new: so is its date.
    feed, created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token": token, "created_at": timezone.now()}, create_defaults={"token": token}
    )
    audit_record(
        action=AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        actor=actor,
        obj=feed,
        object_label=_label(actor),
        summary="Created a calendar feed address" if created else "Replaced the calendar feed address",
        request=request,
    )
    return feed


@transaction.atomic
def feed_revoke(*, actor, request=None) -> bool:
    """Deletes the actor's feed, so its address answers 404; False if there was none."""
    feed = CalendarFeed.objects.select_for_update().filter(user=actor).first()
    if feed is None:
        return False
    audit_record(
        action=AuditEvent.Action.DELETE,
        actor=actor,
        obj=feed,
        object_label=_label(actor),
        summary="Revoked the calendar feed address",
        request=request,
    )
    feed.delete()
    return True

"""Sign-in events go to the audit log. Nothing else is done in signals (see style.md)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from clinic.audit import audit_record
from clinic.models import AuditEvent
from clinic.permissions import membership_of


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(
        action=AuditEvent.Action.LOGIN, actor=user, obj=user, object_label=user.get_username(), request=request
    )


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    audit_record(
        action=AuditEvent.Action.LOGOUT,
        actor=user,
        obj=user,
        object_label=user.get_username(),
        summary=getattr(request, "logout_reason", ""),
        request=request,
    )


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials.get("username") or "")[:150]
    user = get_user_model().objects.filter(username=username).select_related("membership__clinic").first()
    membership = membership_of(user) if user else None
    audit_record(
        action=AuditEvent.Action.LOGIN_FAILED,
        clinic=membership.clinic if membership else None,
        obj=user,
        object_label=username,
        request=request,
    )

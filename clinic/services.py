"""Every write of clinic and staff data. Keyword-only, atomic, audited."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from clinic.audit import audit_record, audit_update
from clinic.models import AuditEvent, Clinic, Heartbeat, Membership
from clinic.permissions import Role, require_role

STAFF_FIELDS = ("first_name", "last_name", "email")


def _require_admin_of(actor, membership: Membership) -> Membership:
    admin = require_role(actor, Role.CLINIC_ADMIN)
    if membership.clinic_id != admin.clinic_id:
        raise PermissionDenied
    return admin


def _would_leave_no_admin(membership: Membership) -> bool:
    if membership.role != Role.CLINIC_ADMIN:
        return False
    others = Membership.objects.filter(clinic_id=membership.clinic_id, role=Role.CLINIC_ADMIN, user__is_active=True)
    return not others.exclude(pk=membership.pk).exists()


@transaction.atomic
def staff_create(
    *, actor, username: str, email: str, first_name: str, last_name: str, role: str, request=None
) -> Membership:
    """Adds a staff member to the actor's clinic and emails them a link to choose a password."""
    admin = require_role(actor, Role.CLINIC_ADMIN)
    user = get_user_model()(username=username, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    membership = Membership(user=user, clinic=admin.clinic, role=role)
    membership.full_clean()
    membership.save()
    audit_record(
        action=AuditEvent.Action.CREATE,
        actor=actor,
        obj=membership,
        object_label=username,
        summary=f"Added staff member {username} as {membership.get_role_display()}",
        request=request,
    )
    _queue_invitation(user.pk)
    return membership


@transaction.atomic
def staff_update(
    *, actor, membership: Membership, first_name: str, last_name: str, email: str, role: str, request=None
) -> Membership:
    _require_admin_of(actor, membership)
    user = membership.user
    before = {name: getattr(user, name) for name in STAFF_FIELDS} | {"role": membership.role}
    if role != membership.role and _would_leave_no_admin(membership):
        raise ValidationError(
            {"role": _("The clinic needs at least one active clinic admin. Make someone else an admin first.")}
        )
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(STAFF_FIELDS))
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    after = {name: getattr(user, name) for name in STAFF_FIELDS} | {"role": role}
    audit_update(
        actor=actor,
        obj=membership,
        object_label=user.username,
        what=f"staff member {user.username}",
        before=before,
        after=after,
        request=request,
    )
    return membership


@transaction.atomic
def staff_set_active(*, actor, membership: Membership, active: bool, request=None) -> Membership:
    """Deactivates or reactivates an account. A deactivated user cannot sign in, and any open
    session of theirs stops working at the next request."""
    _require_admin_of(actor, membership)
    user = membership.user
    if not active and user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not active and _would_leave_no_admin(membership):
        raise ValidationError(_("The clinic needs at least one active clinic admin. Make someone else an admin first."))
    if user.is_active == active:
        return membership
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=membership,
        object_label=user.username,
        summary=f"{'Reactivated' if active else 'Deactivated'} staff member {user.username}",
        changes={"is_active": [not active, active]},
        request=request,
    )
    return membership


def staff_invite_again(*, actor, membership: Membership) -> None:
    _require_admin_of(actor, membership)
    if not membership.user.is_active:
        raise ValidationError(_("Reactivate this account before sending an invitation."))
    if not membership.user.email:
        raise ValidationError(_("This staff member has no email address. Add one first."))
    _queue_invitation(membership.user_id)


def _queue_invitation(user_id: int) -> None:
    from clinic.tasks import send_staff_invitation

    transaction.on_commit(lambda: send_staff_invitation.delay(user_id))


def staff_invitation_send(*, user_id: int) -> bool:
    """Emails a link to choose a password. Returns False when there is nobody to invite."""
    user = get_user_model().objects.select_related("membership__clinic").filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "clinic": user.membership.clinic, "link": link}
    send_mail(
        subject=settings.EMAIL_SUBJECT_PREFIX
        + _("Your account at %(clinic)s") % {"clinic": user.membership.clinic.name},
        message=render_to_string("emails/staff_invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return True


@transaction.atomic
def clinic_update(
    *,
    actor,
    clinic: Clinic,
    name: str,
    time_zone,
    attorneys_read_all_cases: bool,
    require_two_factor_for_all: bool | None = None,
    request=None,
) -> Clinic:
    admin = require_role(actor, Role.CLINIC_ADMIN)
    if clinic.pk != admin.clinic_id:
        raise PermissionDenied
    fields = ("name", "time_zone", "attorneys_read_all_cases", "require_two_factor_for_all")
    before = {name_: str(getattr(clinic, name_)) for name_ in fields}
    clinic.name, clinic.time_zone, clinic.attorneys_read_all_cases = name, time_zone, attorneys_read_all_cases
    if require_two_factor_for_all is not None:
        clinic.require_two_factor_for_all = require_two_factor_for_all
    clinic.full_clean()
    clinic.save(update_fields=list(fields))
    audit_update(
        actor=actor,
        obj=clinic,
        object_label=clinic.slug,
        what="the clinic settings",
        before=before,
        after={name_: str(getattr(clinic, name_)) for name_ in fields},
        request=request,
    )
    return clinic


def password_changed(*, user, reset: bool, request=None) -> None:
    """A new password is on the record: changed by its owner, or chosen through an emailed link
    (a reset, or the first password of someone invited)."""
    summary = "Password chosen through an emailed link" if reset else "Password changed"
    audit_record(
        action=AuditEvent.Action.PASSWORD_CHANGE,
        actor=user,
        obj=user,
        object_label=user.get_username(),
        summary=summary,
        request=request,
    )


def heartbeat_record() -> None:
    Heartbeat.objects.update_or_create(name="beat", defaults={"beat_at": timezone.now()})

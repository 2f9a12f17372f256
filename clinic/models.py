from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField


class User(AbstractUser):
    """A staff account. Its clinic and role live on its Membership."""

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Clinic(models.Model):
    """A tenant: every clinic-owned row points here, and no clinic sees another's rows."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    case_prefix = models.CharField(
        _("case number prefix"),
        max_length=6,
        default="CL",
        help_text=_("Case numbers read PREFIX-YEAR-NUMBER, for example LA-2026-0042."),
    )
    time_zone = TimeZoneField(
        _("time zone"),
        default="America/Denver",
        help_text=_("Dates and times on every page are shown in this zone (El Paso: America/Denver)."),
    )
    attorneys_read_all_cases = models.BooleanField(
        _("attorneys may read colleagues' cases"),
        default=False,
        help_text=_("When off, an attorney sees only the cases they are assigned to."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("clinic")

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    INTAKE = "intake", _("Intake staff")
    ATTORNEY = "attorney", _("Attorney")
    SUPERVISOR = "supervisor", _("Supervisor")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")


class Membership(models.Model):
    """A user's place in one clinic. One clinic per account: a person who works for two clinics
    has two accounts, so that nothing one clinic owns can leak into the other's session."""

    Role = StaffRole

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="membership")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=StaffRole.values),
                name="clinic_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.clinic})"


class AuditLogAppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogAppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AuditLogAppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogAppendOnlyError("Audit events cannot be changed.")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed")
    DOWNLOAD = "download", _("Downloaded")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    PASSWORD_CHANGE = "password_change", _("Changed password")


class AuditEvent(models.Model):
    """One line of the append-only record of who did what (8 CFR 208.6 confidentiality).

    Written only through clinic.audit.audit_record. The model refuses updates and deletes, and
    on PostgreSQL and SQLite a trigger makes the database refuse them too (migration 0002).
    """

    Action = AuditAction

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    # PROTECT: people and clinics are deactivated, never deleted, while their trail exists.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The username at the time, kept even if the account is renamed later.
    actor_label = models.CharField(_("who"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    # A short label safe to show to a supervisor: a case number or a username, never a narrative.
    object_label = models.CharField(_("record"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        get_latest_by = "occurred_at"
        indexes = [
            # The clinic's activity log, newest first.
            models.Index(fields=["clinic", "-occurred_at"], name="audit_clinic_recent"),
            # The trail of one record.
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AuditAction.values),
                name="clinic_auditevent_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogAppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogAppendOnlyError("Audit events cannot be deleted.")


class Heartbeat(models.Model):
    """The last time a periodic task went from beat through the broker to a worker."""

    name = models.CharField(max_length=50, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message to one person (the bell). Never a client's name: the case number and a link."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="clinic_notification_user"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="clinic_notification_unread"),
        ]

    def __str__(self) -> str:
        return self.message

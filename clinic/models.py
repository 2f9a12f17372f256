from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneField

from clinic.scoping import ClinicScopedManager, ClinicScopedQuerySet


class User(AbstractUser):
    """A staff account. Its clinic and role live on its Membership."""

    # The interface, emails and digests in this language; blank: the browser's (clinic.languages).
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

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
    require_two_factor_for_all = models.BooleanField(
        _("two-factor sign-in for everyone"),
        default=False,
        help_text=_("Supervisors and clinic admins always need it; when on, intake staff and attorneys do too."),
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

    objects = ClinicScopedManager()
    # Also narrowed by the person: their own records (clinic.scoping).
    scoped_by_person = ("user",)

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


class AuditEventQuerySet(ClinicScopedQuerySet):
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
    TWO_FACTOR_ENROLLED = "2fa_enrolled", _("Turned on two-factor sign-in")
    TWO_FACTOR_FAILED = "2fa_failed", _("Wrong two-factor code")
    RECOVERY_CODE_USED = "2fa_recovery_used", _("Used a recovery code")
    RECOVERY_CODES_RENEWED = "2fa_codes_renewed", _("Made new recovery codes")
    TWO_FACTOR_REMOVED = "2fa_removed", _("Turned off two-factor sign-in")


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


class NotificationQuerySet(ClinicScopedQuerySet):
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

    # Also narrowed by the person: their own records (clinic.scoping).
    scoped_by_person = ("user",)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="clinic_notification_user"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="clinic_notification_unread"),
        ]

    def __str__(self) -> str:
        return self.message


class DashboardMeasure(models.TextChoices):
    """What a DashboardCount counts, and what its day and status hold."""

    CASES = "cases", _("open cases")  # status: the case's status; no day
    DEADLINES = "deadlines", _("open deadlines")  # day: due on; status: "earliest" for an EAD date, else "due"
    # Open deadlines (never an EAD date) due before the day of the recount, which is their day: what
    # was overdue then, in one row per person, court and process instead of one per day.
    OVERDUE_BEFORE = "overdue_before", _("overdue deadlines")
    HEARINGS = "hearings", _("hearings")  # not cancelled; day: the clinic's local date it starts
    OUTCOMES = "outcomes", _("decided relief applications")  # day: decided on; status: decision; kind: relief
    # The same per fiscal year, without the day: far fewer rows, for the dashboard without a date range.
    OUTCOMES_BY_YEAR = "outcomes_by_year", _("decided relief applications per fiscal year")
    WALK_INS = "walk_ins", _("walk-ins")  # day: the clinic's local date of arrival; status: the walk-in's


class DashboardCount(models.Model):
    """How many of a clinic's records share every column below: the supervisor dashboard reads
    its figures from these rows (clinic/dashboard.py), because counting a large clinic's live
    records takes longer than the page may (issue 6: 150 ms at the 95th percentile). The rows are
    recounted wholesale by clinic/dashboard_counts.py, every few minutes from Celery beat.

    per_person: the record counts once for each person assigned to its case (user None: its case
    has nobody), for the caseload and the attorney filter; else once, user None."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=20, choices=DashboardMeasure.choices)
    per_person = models.BooleanField()
    # No database constraint: the rows are recounted from scratch, and a court or person deleted
    # in between leaves a count that the next recount drops.
    user = models.ForeignKey(User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    court = models.ForeignKey(
        "cases.Court", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    process = models.CharField(max_length=20, blank=True)
    day = models.DateField(null=True)
    status = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(null=True)  # of the day, for outcomes
    count = models.PositiveIntegerField()

    objects = ClinicScopedManager()

    class Meta:
        indexes = [models.Index(fields=["clinic", "measure", "per_person", "day"], name="clinic_dashboardcount_day")]

    def __str__(self) -> str:
        return f"{self.measure} {self.day or ''} {self.status}: {self.count}"


class DashboardCounted(models.Model):
    """When a clinic's DashboardCount rows were last recounted: the age the dashboard shows."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, primary_key=True, related_name="+")
    counted_at = models.DateTimeField()
    counted_on = models.DateField()  # the clinic's date then: the day of its OVERDUE_BEFORE rows
    duration_ms = models.PositiveIntegerField()

    objects = ClinicScopedManager()

    def __str__(self) -> str:
        return f"{self.clinic_id} at {self.counted_at:%Y-%m-%d %H:%M:%S}"

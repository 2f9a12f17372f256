from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from clinic.models import AuditEvent, Clinic, Heartbeat, Membership, User


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    extra = 0


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    list_select_related = ["membership__clinic"]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "attorneys_read_all_cases"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be edited or deleted, here or anywhere."""

    list_display = ["occurred_at", "clinic", "actor_label", "action", "object_type", "object_label", "ip_address"]
    list_filter = ["action", "clinic"]
    list_select_related = ["clinic"]
    search_fields = ["actor_label", "object_label", "object_id"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at"]

"""Deadline rules in the Django admin: rule history is read-only; a superuser adds a version
with a later effective date when a court or agency changes a default (design.md, "Deadlines")."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import DeadlineRule, DeadlineRuleVersion

VERSION_FIELDS = [
    "effective_from",
    "offset",
    "direction",
    "counting",
    "roll_forward",
    "adds_clock_stops",
    "lead_days",
    "citation",
    "source_url",
    "source_note",
    "created_at",
]


class DeadlineRuleVersionInline(admin.TabularInline):
    model = DeadlineRuleVersion
    fields = VERSION_FIELDS
    readonly_fields = VERSION_FIELDS
    extra = 0
    can_delete = False
    show_change_link = True
    # Django 6 will assume https for scheme-less URLs; say so now (and silence its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Read-only: a rule's code and trigger are what the code relies on; its arithmetic changes
    by adding a version (Deadline rule versions, "Add")."""

    list_display = ["code", "title", "trigger"]
    list_filter = ["trigger"]
    search_fields = ["code", "title"]
    fields = ["code", "title", "trigger"]
    readonly_fields = ["code", "title", "trigger"]
    inlines = [DeadlineRuleVersionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _https_urls(db_field, **kwargs):
    """Django 6 assumes https for a URL typed without a scheme; say so now (no warning)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class DeadlineRuleVersionForm(forms.ModelForm):
    source_url = forms.URLField(label=gettext_lazy("source"), max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = DeadlineRuleVersion
        formfield_callback = _https_urls
        fields = [field for field in VERSION_FIELDS if field != "created_at"]
        fields.insert(0, "rule")

    def clean_effective_from(self):
        effective_from = self.cleaned_data.get("effective_from")
        if effective_from is None:
            raise ValidationError(_("Enter the date the new version takes effect."))
        if effective_from < timezone.localdate():
            raise ValidationError(_("A new version cannot take effect in the past: history is never rewritten."))
        return effective_from

    def clean_lead_days(self):
        leads = self.cleaned_data.get("lead_days")
        if (
            not isinstance(leads, list)
            or not all(isinstance(lead, int) and not isinstance(lead, bool) for lead in leads)
            or any(lead < 0 or lead > 365 for lead in leads)
        ):
            raise ValidationError(_("Give a list of whole numbers of days between 0 and 365, like [14, 7, 1]."))
        return sorted(set(leads), reverse=True)

    def clean(self):
        cleaned = super().clean()
        rule, effective_from = cleaned.get("rule"), cleaned.get("effective_from")
        if rule is not None and effective_from is not None:
            latest = rule.versions.exclude(effective_from__isnull=True).order_by("-effective_from").first()
            if latest is not None and effective_from <= latest.effective_from:
                self.add_error(
                    "effective_from",
                    _("A new version must take effect after the latest one, of %(latest)s.")
                    % {"latest": latest.effective_from.isoformat()},
                )
        return cleaned


@admin.register(DeadlineRuleVersion)
class DeadlineRuleVersionAdmin(admin.ModelAdmin):
    """Add-only: a version is never changed or deleted, since deadlines were computed with it."""

    form = DeadlineRuleVersionForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["rule", "effective_from", "offset", "direction", "counting", "citation", "created_at"]
    list_filter = ["rule"]
    list_select_related = ["rule"]
    search_fields = ["rule__code", "citation"]

    def get_fields(self, request, obj=None):
        return ["rule", *VERSION_FIELDS] if obj else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["rule", *VERSION_FIELDS] if obj else []

    def get_changeform_initial_data(self, request):
        """Adding from a rule (?rule=ID) starts from its latest version's values."""
        initial = super().get_changeform_initial_data(request)
        rule_id = str(initial.get("rule", ""))
        latest = (
            DeadlineRuleVersion.objects.filter(rule_id=int(rule_id))
            .order_by(F("effective_from").desc(nulls_last=True))
            .first()
            if rule_id.isdigit()
            else None
        )
        if latest is not None:
            for field in ("offset", "direction", "counting", "roll_forward", "adds_clock_stops", "lead_days"):
                initial.setdefault(field, getattr(latest, field))
        return initial

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

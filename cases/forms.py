"""Forms of the case core; they only clean input. The claim, evidence and hearings have their own."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseNote, Court, Deadline, ReliefApplication
from cases.selectors import NO_ATTORNEY, NO_COURT, OUTCOME_FILTERS, fiscal_year_bounds
from clients.derivatives import derivative_status
from clients.forms import DateInput
from clinic.models import Membership

DATE_FIELDS_IN_THE_PAST = ("nta_served_on", "i589_received_on", "eoir28_filed_on", "g28_filed_on", "last_arrival_date")


def staff_who_can_lead(clinic):
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__clinic=clinic,
            membership__role__in=[Membership.Role.ATTORNEY, Membership.Role.SUPERVISOR],
        )
        .order_by("last_name", "first_name")
    )


class FamilyChoiceField(forms.ModelMultipleChoiceField):
    """The principal's family, each labelled with whether they can be a derivative."""

    def label_from_instance(self, member):
        status = derivative_status(
            relationship=member.relationship,
            marital_status=member.marital_status,
            location=member.location,
            date_of_birth=member.date_of_birth,
            today=timezone.localdate(),
        )
        verdict = _("can be a derivative") if status.eligible and not member.us_citizen else _("not a derivative")
        return f"{member.full_name} ({member.get_relationship_display()}; {verdict})"


class CaseFieldsForm(forms.ModelForm):
    included_family = FamilyChoiceField(
        label=_("Family members on the application"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the principal's own family. Withholding and CAT have no derivatives."),
    )

    class Meta:
        model = Case
        fields = [
            "process", "court", "asylum_office", "status", "last_arrival_date", "nta_served_on", "i589_received_on",
            "eoir28_filed_on", "eoir28_scope", "g28_filed_on", "funding_source", "eligibility_basis",
        ]  # fmt: skip
        widgets = dict.fromkeys(DATE_FIELDS_IN_THE_PAST, DateInput)

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = Court.objects.filter(retired=False)
        self.fields["included_family"].queryset = client.family_members.all()
        if "status" in self.fields:
            self.fields["status"].choices = [
                choice for choice in Case.Status.choices if choice[0] != Case.Status.CLOSED
            ]
        if self.instance.pk:
            self.initial["included_family"] = list(self.instance.included_family.values_list("pk", flat=True))

    @cached_property
    def helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(
            Fieldset(
                _("Process"), Row(Column("process"), Column("court"), Column("asylum_office")), *self._status_row()
            ),
            Fieldset(
                _("Key dates"),
                Row(Column("last_arrival_date"), Column("nta_served_on"), Column("i589_received_on")),
                Row(Column("eoir28_filed_on"), Column("eoir28_scope"), Column("g28_filed_on")),
            ),
            Fieldset(_("Funding"), Row(Column("funding_source"), Column("eligibility_basis"))),
            Fieldset(_("Family"), "included_family"),
        )
        return helper

    def _status_row(self):
        return [Row(Column("status"))] if "status" in self.fields else []

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in DATE_FIELDS_IN_THE_PAST:
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("This date cannot be in the future."))
        if cleaned.get("eoir28_filed_on") and not cleaned.get("eoir28_scope"):
            self.add_error("eoir28_scope", _("Say what the EOIR-28 covers."))
        if cleaned.get("process") == Case.Process.AFFIRMATIVE and cleaned.get("court"):
            self.add_error("court", _("An affirmative case is before USCIS, not a court. Leave the court empty."))
        return cleaned


class CaseOpenForm(CaseFieldsForm):
    lead_attorney = forms.ModelChoiceField(label=_("Lead attorney"), queryset=None)
    team = forms.ModelMultipleChoiceField(
        label=_("Others on the team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(CaseFieldsForm.Meta):
        fields = [name for name in CaseFieldsForm.Meta.fields if name != "status"]

    def __init__(self, *args, client, clinic, **kwargs):
        super().__init__(*args, client=client, **kwargs)
        self.fields["lead_attorney"].queryset = staff_who_can_lead(clinic)
        self.fields["team"].queryset = staff_who_can_lead(clinic)

    @cached_property
    def helper(self) -> FormHelper:
        helper = super().helper
        helper.layout.insert(0, Fieldset(_("Team"), Row(Column("lead_attorney"), Column("team"))))
        return helper


class TeamForm(forms.Form):
    lead_attorney = forms.ModelChoiceField(label=_("Lead attorney"), queryset=None)
    team = forms.ModelMultipleChoiceField(
        label=_("Others on the team"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_attorney"].queryset = staff_who_can_lead(clinic)
        self.fields["team"].queryset = staff_who_can_lead(clinic)


class ReliefForm(forms.ModelForm):
    class Meta:
        model = ReliefApplication
        fields = ["filed_on", "decision", "decided_on"]
        widgets = {"filed_on": DateInput, "decided_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") and not cleaned.get("decided_on"):
            self.add_error("decided_on", _("Give the date of the decision."))
        if cleaned.get("decided_on") and cleaned.get("filed_on") and cleaned["decided_on"] < cleaned["filed_on"]:
            self.add_error("decided_on", _("A decision cannot come before the filing."))
        return cleaned


class ReliefAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relief"), choices=ReliefApplication.Kind.choices)


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = ["outcome", "outcome_on", "in_absentia", "appeal"]
        widgets = {"outcome_on": DateInput}

    def clean_outcome_on(self):
        value = self.cleaned_data.get("outcome_on")
        if value and value > timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."))
        return value


class CloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput)
    closing_reason = forms.ChoiceField(label=_("Closing reason"), choices=Case.ClosingReason.choices)
    confirm_open_deadlines = forms.BooleanField(label=_("Close it although deadlines are still open"), required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_closed_on(self):
        value = self.cleaned_data["closed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("A case cannot be closed on a future date."))
        if value < self.case.opened_on:
            raise ValidationError(
                _("A case cannot be closed before it was opened (%(day)s).") % {"day": self.case.opened_on}
            )
        return value


class NoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["text", "privileged"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class DeadlineForm(forms.ModelForm):
    class Meta:
        model = Deadline
        fields = ["title", "due_on", "note"]
        widgets = {"due_on": DateInput}


class DeadlineFinishForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Deadline.Status.DONE, _("Done")), (Deadline.Status.WAIVED, _("Waived"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


# The decision filter's values (cases/selectors.py DECISIONS), as the notice above the list words them.
DECISION_CHOICES = [
    ("granted", _("granted (or conditionally granted)")),
    ("denied", _("denied")),
    ("other", _("withdrawn, abandoned, not adjudicated or other")),
    ("decided", _("any outcome")),
]


def courts_in_use(clinic) -> list[int]:
    """The courts the clinic's cases are before: a handful, but finding them reads every case, so
    the answer is kept in the cache for an hour (a court new to the clinic shows up within it)."""
    key = f"cases:courts-in-use:{clinic.pk}"
    courts = cache.get(key)
    if courts is None:
        # order_by(): the model's default order would otherwise take part in DISTINCT.
        in_use = Case.objects.filter(clinic=clinic).exclude(court=None).order_by().values_list("court_id", flat=True)
        courts = sorted(in_use.distinct())
        cache.set(key, courts, 60 * 60)
    return courts


class Options(list):
    """A select's options as (value, label, chosen), to loop over; {{ options.tags }} in a
    template writes their <option> tags at once (the courts alone are dozens: the template engine
    took several times as long, tag by tag). The case list's filters and the dashboard's use it."""

    def tags(self) -> SafeString:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, " selected" if chosen else "", label) for value, label, chosen in self),
        )


class _NoneFirst(ModelChoiceIterator):
    """The choices with the field's "none" choice after the empty choice, still lazy."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield (self.field.none_value, self.field.none_label)
        # The short list in one query: Django's iterator() would open a server-side cursor, three
        # round trips to PostgreSQL (DECLARE, FETCH, CLOSE) for a dozen rows.
        for record in self.queryset.all():
            yield self.choice(record)

    def __len__(self):
        return super().__len__() + 1


class _RecordOrNoneField(forms.ModelChoiceField):
    """A record, or `none_value`: the cases without one."""

    iterator = _NoneFirst
    none_value = "none"
    none_label = ""

    def to_python(self, value):
        return self.none_value if value == self.none_value else super().to_python(value)

    def validate(self, value):
        if value != self.none_value:
            super().validate(value)


class UnassignedOrStaffField(_RecordOrNoneField):
    """A staff member, or "none": the cases nobody is assigned to (the dashboard's Unassigned row)."""

    none_value, none_label = NO_ATTORNEY, _("No attorney assigned")


class CourtOrNoneField(_RecordOrNoneField):
    """A court, or "none": the cases with no court, affirmative ones and defensive ones whose
    court is not recorded (the dashboard's Asylum office and No court recorded rows)."""

    none_value, none_label = NO_COURT, _("No court recorded")


class CaseFilterForm(forms.Form):
    """The case list's filters and order; every field optional, bad values are ignored (see
    filters()). The outcome filters (relief, decision, fiscal year) come from the links of the
    dashboard's outcome table: hidden fields, described above the list instead."""

    SORTS = [
        ("-opened", _("Newest first")),
        ("opened", _("Oldest first")),
        ("number", _("Case number")),
        ("-number", _("Case number, last first")),
    ]

    q = forms.CharField(label=_("Case number"), required=False, max_length=20)
    attorney = UnassignedOrStaffField(label=_("Attorney"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    court = CourtOrNoneField(label=_("Court"), queryset=None, required=False)
    process = forms.ChoiceField(label=_("Process"), required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)
    # The keyset of the page to show: the order values of the last case of the previous page.
    after = forms.CharField(required=False, widget=forms.HiddenInput)
    # A case matches when one of its relief applications meets all three (cases/selectors.py).
    relief = forms.ChoiceField(choices=[("", ""), *ReliefApplication.Kind.choices], required=False)
    decision = forms.ChoiceField(choices=[("", ""), *DECISION_CHOICES], required=False)
    fiscal_year = forms.IntegerField(min_value=1900, max_value=2100, required=False)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("status") and any(self.data.get(name) for name in OUTCOME_FILTERS):
            # Decided cases are often closed: with an outcome filter the list starts from every status.
            self.data = self.data.copy()
            self.data["status"] = "all"
        self.fields["attorney"].queryset = staff_who_can_lead(clinic)
        self.fields["court"].queryset = Court.objects.filter(pk__in=courts_in_use(clinic))
        self.fields["status"].choices = [("", _("Open cases")), ("all", _("All cases")), *Case.Status.choices]
        self.fields["process"].choices = [("", _("Any process")), *Case.Process.choices]

    def filters(self) -> dict:
        """The cleaned filters; none of them when one is bad, except that bad outcome filters
        drop only the three outcome filters (the page says so: outcome_not_understood)."""
        if self.is_valid():
            return self.cleaned_data
        if self.is_bound and self.errors.keys() <= set(OUTCOME_FILTERS):
            return {name: value for name, value in self.cleaned_data.items() if name not in OUTCOME_FILTERS}
        return {}

    @property
    def outcome_not_understood(self) -> bool:
        return self.is_bound and bool(self.errors.keys() & set(OUTCOME_FILTERS))

    def outcome_params(self) -> dict[str, str]:
        """The outcome filters in force, as query parameters (the filter row keeps them hidden)."""
        filters = self.filters()
        return {name: str(filters[name]) for name in OUTCOME_FILTERS if filters.get(name)}

    def outcome_notice(self) -> str:
        """The outcome filters in force in plain words, or "" without any."""
        filters = self.filters()
        relief, decision, year = (filters.get(name) for name in OUTCOME_FILTERS)
        if not (relief or decision or year):
            return ""
        words = {
            "relief": dict(ReliefApplication.Kind.choices)[relief] if relief else _("any relief"),
            "decision": dict(DECISION_CHOICES)[decision or "decided"],
        }
        if year:
            first, last = fiscal_year_bounds(year)
            words |= {"year": year, "first": date_format(first, "j M Y"), "last": date_format(last, "j M Y")}
            return (
                _(
                    "Showing cases with a decision on %(relief)s: %(decision)s, "
                    "fiscal year %(year)s (%(first)s to %(last)s)."
                )
                % words
            )
        if decision:
            return _("Showing cases with a decision on %(relief)s: %(decision)s.") % words
        return _("Showing cases with an application for %(relief)s.") % words

    def select_options(self) -> list[dict]:
        """Each select of the filter row with its options and which one is chosen, worked out once
        (the template asking every option for the field's value cost more than the case table)."""
        selects = []
        for name in ("attorney", "status", "court", "process", "sort"):
            field, chosen = self[name], str(self[name].value() or "")
            options = Options((str(value), label, str(value) == chosen) for value, label in field.field.choices)
            selects.append({"name": name, "id": field.id_for_label, "label": field.label, "options": options})
        return selects

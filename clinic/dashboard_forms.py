"""The supervisor dashboard's filters (and the clinic-wide deadline list's): cleaning, and the
options of their selects as the templates write them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import Options, courts_in_use, staff_who_can_lead
from cases.models import Case, Court
from clinic.forms import ListDateField

LONGEST_RANGE_DAYS = 366 * 10


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DashboardFilterForm(forms.Form):
    """Attorney, court and process narrow every case-based figure; the date range is explained
    next to the form (clinic/dashboard.py, "What the date range filters")."""

    attorney = forms.ModelChoiceField(label=_("Attorney"), queryset=None, required=False, empty_label=_("Everyone"))
    court = forms.ModelChoiceField(label=_("Court"), queryset=None, required=False, empty_label=_("Any court"))
    process = forms.ChoiceField(label=_("Process"), required=False)
    date_from = ListDateField(label=_("From"), required=False, widget=DateInput)
    date_to = ListDateField(label=_("To"), required=False, widget=DateInput)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attorney"].queryset = staff_who_can_lead(clinic)
        self.fields["court"].queryset = Court.objects.filter(pk__in=courts_in_use(clinic))
        self.fields["process"].choices = [("", _("Any process")), *Case.Process.choices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if end < start:
                self.add_error("date_to", _("The end of the range is before its start."))
            elif (end - start).days > LONGEST_RANGE_DAYS:
                self.add_error("date_to", _("Choose a range of at most ten years."))
        return cleaned

    def fields_with_options(self) -> list[tuple]:
        """Each field with its select options (value, label, chosen), or None for a date. The
        options are read once: a template looping over a ModelChoiceField's choices counts them
        first, two queries instead of one."""
        fields = []
        for bound in self:
            options = None
            if isinstance(bound.field, forms.ChoiceField):
                chosen = str(bound.value() or "")
                options = Options((str(value), label, str(value) == chosen) for value, label in bound.field.choices)
            fields.append((bound, options))
        return fields

    def filters(self) -> dict:
        """The cleaned filters, or none at all when the form has errors (the page then shows the
        whole clinic and the form its errors)."""
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}


class DeadlineListFilterForm(DashboardFilterForm):
    """The clinic-wide deadline list: which deadlines (overdue, due soon, in a range) and whose."""

    OVERDUE, NEXT_7, NEXT_30, OPEN = "overdue", "next7", "next30", "open"
    WHICH = [
        (OPEN, _("All open deadlines")),
        (OVERDUE, _("Overdue")),
        (NEXT_7, _("Due in the next 7 days")),
        (NEXT_30, _("Due in the next 30 days")),
    ]

    which = forms.ChoiceField(label=_("Show"), choices=WHICH, required=False)
    field_order = ["which", "attorney", "court", "process", "date_from", "date_to"]

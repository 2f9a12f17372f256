"""The report's date range: both dates required, the first on or before the second."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.forms import DateInput


class ClosingReportForm(forms.Form):
    date_from = forms.DateField(
        label=_("Closed from"),
        widget=DateInput,
        error_messages={"required": _("Enter the first day of the period."), "invalid": _("Enter a real date.")},
    )
    date_to = forms.DateField(
        label=_("Closed until"),
        widget=DateInput,
        help_text=_("Both days are included."),
        error_messages={"required": _("Enter the last day of the period."), "invalid": _("Enter a real date.")},
    )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The last day must be on or after the first day."))
        return cleaned

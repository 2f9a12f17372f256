"""Forms of deadlines, recorded events, the EAD clock and the clinic's lead times. They only clean
input: dates are checked against each other and against today, in plain words, so nothing
half-written reaches a service."""

from datetime import date

from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from cases.dates import add_years
from cases.models import CaseEvent
from clients.forms import DateInput

# A date further back or ahead than this is a typo in the year.
YEARS_BACK, YEARS_AHEAD = 10, 10


def _check_year(day: date | None, today: date) -> None:
    if day and day < add_years(today, -YEARS_BACK):
        raise forms.ValidationError(
            _("This date is more than %(years)d years ago: check the year."), params={"years": YEARS_BACK}
        )
    if day and day > add_years(today, YEARS_AHEAD):
        raise forms.ValidationError(
            _("This date is more than %(years)d years ahead: check the year."), params={"years": YEARS_AHEAD}
        )


def _add_year_error(form, field: str, day: date | None) -> None:
    """The year check of `day`, as an error on `field` of `form` (which knows `today`)."""
    try:
        _check_year(day, form.today)
    except forms.ValidationError as exc:
        form.add_error(field, exc)


def _not_in_future(day: date | None, today: date, message) -> None:
    if day and day > today:
        raise forms.ValidationError(message)


class JudgeOrderForm(forms.Form):
    """The date the judge's scheduling order sets; "clear" goes back to the rule's date."""

    due_on = forms.DateField(label=_("Date the judge set"), required=False, widget=DateInput)
    clear = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("clear"):
            data["due_on"] = None
        elif not data.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Enter the date the judge set, as the scheduling order gives it."))
        else:
            _add_year_error(self, "due_on", data.get("due_on"))
        return data


class EventForm(forms.Form):
    """Something that happened in the case and starts deadlines."""

    kind = forms.ChoiceField(label=_("What happened"), choices=[*BLANK_CHOICE_DASH, *CaseEvent.Kind.choices])
    occurred_on = forms.DateField(
        label=_("Date"),
        widget=DateInput,
        help_text=_(
            "The day it happened: the decision's or order's date, the day the filing or the FOIA "
            "request was received, the date of the notice."
        ),
    )
    response_due_on = forms.DateField(
        label=_("Response due on (from the notice)"),
        required=False,
        widget=DateInput,
        help_text=_("Only for a request for evidence or a NOID: the date printed on the notice."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        _check_year(day, self.today)
        _not_in_future(day, self.today, _("This has not happened yet: the date is after today."))
        return day

    def clean(self):
        data = super().clean()
        occurred, due = data.get("occurred_on"), data.get("response_due_on")
        if data.get("kind") != CaseEvent.Kind.RFE_RECEIVED:
            if due:
                self.add_error(
                    "response_due_on", _("Only a request for evidence or a NOID has a response date: leave this empty.")
                )
        elif not due:
            if "response_due_on" not in self.errors:
                self.add_error("response_due_on", _("Enter the response date printed on the notice."))
        elif occurred and due < occurred:
            self.add_error("response_due_on", _("The response date cannot be before the date of the notice."))
        else:
            _add_year_error(self, "response_due_on", due)
        return data


class ClockStopForm(forms.Form):
    stopped_on = forms.DateField(label=_("Clock stopped on"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("The delay the applicant asked for or caused, e.g. a continuance requested at the hearing."),
    )

    def __init__(self, *args, today: date, received_on: date, **kwargs):
        self.today, self.received_on = today, received_on
        super().__init__(*args, **kwargs)

    def clean_stopped_on(self):
        day = self.cleaned_data["stopped_on"]
        if day < self.received_on:
            raise forms.ValidationError(_("The clock cannot stop before the I-589 was received."))
        _not_in_future(day, self.today, _("The clock cannot stop on a day after today."))
        return day

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the clock stopped."))
        return reason


class ClockResumeForm(forms.Form):
    resumed_on = forms.DateField(label=_("Clock resumed on"), widget=DateInput)

    def __init__(self, *args, today: date, stopped_on: date, **kwargs):
        self.today, self.stopped_on = today, stopped_on
        super().__init__(*args, **kwargs)

    def clean_resumed_on(self):
        day = self.cleaned_data["resumed_on"]
        if day < self.stopped_on:
            raise forms.ValidationError(_("The clock cannot resume before it stopped."))
        _not_in_future(day, self.today, _("The clock cannot resume on a day after today."))
        return day


class LeadTimesForm(forms.Form):
    """Reminder lead times, days before the due date, comma-separated: "30, 14, 7, 1"."""

    lead_days = forms.CharField(label=_("Remind this many days before"), max_length=200)

    def clean_lead_days(self):
        raw = self.cleaned_data["lead_days"]
        parts = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        if not parts:
            raise forms.ValidationError(_("Give one or more numbers of days, separated by commas."))
        try:
            days = [int(part) for part in parts]
        except ValueError:
            raise forms.ValidationError(
                _("Give whole numbers of days separated by commas, for example: 30, 14, 7, 1.")
            ) from None
        if any(day < 0 or day > 365 for day in days):
            raise forms.ValidationError(_("Each number of days must be between 0 and 365."))
        return sorted(set(days), reverse=True)

"""Hearing forms: they only parse what staff type. The rules (which zone, daylight saving time, an
end after the start, a court for a hearing) are in cases/hearing_services.py."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from cases import hearing_times
from cases.models import Case, Court, Hearing
from clients.forms import DateInput
from clients.models import Language

# Zones of the immigration courts and asylum offices, for an interview (a court has its own zone).
US_ZONES = [
    ("America/New_York", _("Eastern")),
    ("America/Chicago", _("Central")),
    ("America/Denver", _("Mountain")),
    ("America/Phoenix", _("Arizona, no daylight saving time")),
    ("America/Los_Angeles", _("Pacific")),
    ("America/Anchorage", _("Alaska")),
    ("Pacific/Honolulu", _("Hawaii")),
    ("America/Puerto_Rico", _("Atlantic (Puerto Rico)")),
    ("Pacific/Guam", _("Chamorro (Guam, Saipan)")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def zone_choices(*extra: str) -> list[tuple[str, str]]:
    """The US zones, plus any zone in `extra` (the clinic's, the hearing's) not among them."""
    known = [key for key, _label in US_ZONES]
    choices = [(key, f"{label} — {key}") for key, label in US_ZONES]
    return choices + [(key, key) for key in dict.fromkeys(extra) if key and key not in known]


class HearingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Hearing.Kind.choices)
    court = forms.ModelChoiceField(
        label=_("Immigration court"),
        queryset=Court.objects.none(),
        required=False,
        empty_label=_("No court (asylum office interview)"),
        help_text=_("A hearing's time is in the court's time zone."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the interview"),
        help_text=_("Only for an interview, or a hearing with no court."),
    )
    day = forms.DateField(label=_("Date"), widget=DateInput)
    starts = forms.TimeField(
        label=_("Start time"),
        widget=TimeInput,
        help_text=_(
            "Local time, as on the notice. In the hour repeated when the clocks go back, the first one is used."
        ),
    )
    ends = forms.TimeField(label=_("End time"), widget=TimeInput, required=False, help_text=_("Optional."))
    judge = forms.CharField(label=_("Immigration judge"), max_length=100, required=False)
    location = forms.CharField(
        label=_("Asylum office or place"),
        max_length=200,
        required=False,
        help_text=_("For an interview, the asylum office; for a hearing, the courtroom if known."),
    )
    medium = forms.ChoiceField(label=_("How"), choices=Hearing.Medium.choices, initial=Hearing.Medium.IN_PERSON)
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter"), choices=[("", _("No interpreter")), *Language.choices], required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, case: Case, clinic_zone: str, hearing: Hearing | None = None, **kwargs):
        if hearing is not None:
            kwargs.setdefault("initial", initial_from(hearing))
        else:
            kwargs.setdefault("initial", initial_for(case, clinic_zone))
        super().__init__(*args, **kwargs)
        current = hearing.court_id if hearing else None
        self.fields["court"].queryset = Court.objects.filter(retired=False) | Court.objects.filter(pk=current)
        self.fields["time_zone"].choices = zone_choices(clinic_zone, str(hearing.time_zone) if hearing else "")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-4"), Column("court", css_class="col-md-4"), Column("time_zone")),
            Row(Column("day", css_class="col-md-4"), Column("starts", css_class="col-md-4"), Column("ends")),
            Row(Column("judge", css_class="col-md-4"), Column("location")),
            Row(Column("medium", css_class="col-md-4"), Column("interpreter_language", css_class="col-md-4")),
            "notes",
        )


def initial_for(case: Case, clinic_zone: str) -> dict:
    """A new hearing: at the case's court, or an interview at its asylum office for an affirmative case."""
    affirmative = case.process == Case.Process.AFFIRMATIVE
    return {
        "kind": Hearing.Kind.INTERVIEW if affirmative else Hearing.Kind.MASTER,
        "court": None if affirmative else case.court_id,
        "location": case.asylum_office if affirmative else "",
        "time_zone": clinic_zone,
        "medium": Hearing.Medium.IN_PERSON,
    }


def initial_from(hearing: Hearing) -> dict:
    """The hearing as it was entered: date and times back in its own zone."""
    start = hearing_times.in_zone(hearing.starts_at, hearing.time_zone)
    end = hearing_times.in_zone(hearing.ends_at, hearing.time_zone) if hearing.ends_at else None
    return {
        "kind": hearing.kind, "court": hearing.court_id, "time_zone": str(hearing.time_zone),
        "day": start.date(), "starts": start.time(), "ends": end.time() if end else None,
        "judge": hearing.judge, "location": hearing.location, "medium": hearing.medium,
        "interpreter_language": hearing.interpreter_language, "notes": hearing.notes,
    }  # fmt: skip


class HearingResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", _("Not recorded yet")), *Hearing.Result.choices], required=False
    )
    adjournment_reason = forms.CharField(
        label=_("Adjournment reason"),
        max_length=200,
        required=False,
        help_text=_("Only when the hearing was adjourned: why, as the judge said it."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

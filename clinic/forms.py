"""Forms only clean and normalise input; services do the writing."""

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from clinic.models import Clinic, Membership, User

# The years a report's or a list's date may fall in: a typo such as 0202 for 2026 is an error,
# not a scan of centuries.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class ListDateField(forms.DateField):
    """A day a list or report starts or ends on, from FIRST_YEAR to LAST_YEAR."""

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Enter a date between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )


# The zones of the US immigration courts and asylum offices, in the words staff use.
US_TIME_ZONES = [
    ("America/New_York", _("Eastern (New York, Miami, Atlanta)")),
    ("America/Chicago", _("Central (Chicago, Dallas, Houston, San Antonio)")),
    ("America/Denver", _("Mountain (Denver, El Paso)")),
    ("America/Phoenix", _("Arizona (Phoenix, Tucson; no daylight saving)")),
    ("America/Los_Angeles", _("Pacific (Los Angeles, San Francisco, Seattle)")),
    ("America/Anchorage", _("Alaska")),
    ("Pacific/Honolulu", _("Hawaii")),
    ("America/Puerto_Rico", _("Atlantic (San Juan)")),
    ("Pacific/Guam", _("Chamorro (Guam, Saipan)")),
]


class StaffForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("The invitation to choose a password is sent here."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class StaffCreateForm(StaffForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("Used to sign in. Letters, digits and @ . + - _ only."),
    )
    field_order = ["first_name", "last_name", "username", "email", "role"]

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()


class ClinicSettingsForm(forms.Form):
    name = forms.CharField(label=_("Clinic name"), max_length=200)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=US_TIME_ZONES,
        help_text=_("Hearing times, deadlines and the daily digest use this zone."),
    )
    attorneys_read_all_cases = forms.BooleanField(
        label=_("Attorneys may read colleagues' cases"),
        required=False,
        help_text=_(
            "When off, an attorney sees only the cases they are assigned to. Supervisors always see every case."
        ),
    )
    require_two_factor_for_all = forms.BooleanField(
        label=_("Require two-factor sign-in for everyone"),
        required=False,
        help_text=_(
            "Supervisors and clinic admins always sign in with a code from an authenticator app. "
            "When on, intake staff and attorneys must set it up too at their next page."
        ),
    )

    def __init__(self, *args, clinic: Clinic, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": clinic.name,
                "time_zone": str(clinic.time_zone),
                "attorneys_read_all_cases": clinic.attorneys_read_all_cases,
                "require_two_factor_for_all": clinic.require_two_factor_for_all,
            },
        )
        super().__init__(*args, **kwargs)
        current = str(clinic.time_zone)
        if current not in dict(US_TIME_ZONES):
            # A zone set outside the list (through the Django admin) stays selectable.
            self.fields["time_zone"].choices = [(current, current), *US_TIME_ZONES]


class ActivityFilterForm(forms.Form):
    """The activity log's filters: one person's activity, or the trail of one record
    (record=<model label>:<id>, as the audit log stores them, e.g. cases.case:12)."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=None, required=False, empty_label=_("Everyone"))
    record = forms.RegexField(regex=r"^[a-z_]+\.[a-z_]+:\d{1,18}$", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(membership__clinic=clinic).order_by(
            "last_name", "first_name", "username"
        )

    def person_options(self) -> list[tuple[str, str, bool]]:
        """(value, label, chosen) of the person select, read in one query (a template's for loop
        would count the people first)."""
        chosen = str(self["person"].value() or "")
        return [(str(value), label, str(value) == chosen) for value, label in iter(self.fields["person"].choices)]

    def filters(self) -> dict:
        """person and record (a (label, id) pair) for clinic.selectors.audit_events."""
        if not self.is_valid():
            return {}
        record = self.cleaned_data["record"]
        return {
            "person": self.cleaned_data["person"],
            "record": tuple(record.split(":", 1)) if record else None,
        }

"""Forms only clean and normalise what staff type; services do the writing."""

import re
from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from clients.identifiers import normalize_a_number, normalize_phone
from clients.models import AdverseParty, Client, ClientAlias, ConflictCheck, FamilyMember, WalkIn
from clinic.forms import ListDateField

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"), ("CA", "California"),
    ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("DC", "District of Columbia"),
    ("FL", "Florida"), ("GA", "Georgia"), ("GU", "Guam"), ("HI", "Hawaii"), ("ID", "Idaho"), ("IL", "Illinois"),
    ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"), ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"),
    ("MD", "Maryland"), ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"),
    ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"), ("NC", "North Carolina"),
    ("ND", "North Dakota"), ("MP", "Northern Mariana Islands"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("PR", "Puerto Rico"), ("RI", "Rhode Island"),
    ("SC", "South Carolina"), ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"),
    ("VT", "Vermont"), ("VI", "US Virgin Islands"), ("VA", "Virginia"), ("WA", "Washington"),
    ("WV", "West Virginia"), ("WI", "Wisconsin"), ("WY", "Wyoming"),
]  # fmt: skip
_ZIP = re.compile(r"^\d{5}(-\d{4})?$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def a_number_field() -> forms.CharField:
    return forms.CharField(
        label=_("A-number"), required=False, max_length=20, help_text=_("7 to 9 digits, like A-123-456-789.")
    )


class PersonFieldsMixin:
    """Cleaning shared by every form that holds a person: A-number, phones, dates in the past."""

    def clean_a_number(self):
        value = self.cleaned_data.get("a_number", "").strip()
        return normalize_a_number(value) if value else None

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return normalize_phone(value) if value else ""

    def clean_alternate_phone(self):
        value = self.cleaned_data.get("alternate_phone", "").strip()
        return normalize_phone(value) if value else ""

    def clean_date_of_birth(self):
        return _not_in_future(self.cleaned_data.get("date_of_birth"), _("A date of birth cannot be in the future."))

    def _check_after_birth(self, field: str, message: str) -> None:
        born, later = self.cleaned_data.get("date_of_birth"), self.cleaned_data.get(field)
        if born and later and later < born:
            self.add_error(field, message)


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise ValidationError(message)
    return value


class WalkInForm(PersonFieldsMixin, forms.ModelForm):
    a_number = a_number_field()

    class Meta:
        model = WalkIn
        fields = [
            "given_names", "paternal_surname", "maternal_surname", "phone", "preferred_language",
            "country_of_nationality", "date_of_birth", "a_number", "last_arrival_date", "next_hearing_date",
            "detained", "prior_removal_order", "in_absentia_order", "reason", "reason_details", "referred_by",
        ]  # fmt: skip
        widgets = {
            "date_of_birth": DateInput,
            "last_arrival_date": DateInput,
            "next_hearing_date": DateInput,
        }
        labels = {"given_names": _("First name(s)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_names"].widget.attrs["autofocus"] = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("given_names"), Column("paternal_surname"), Column("maternal_surname")),
            Row(Column("phone"), Column("preferred_language"), Column("country_of_nationality")),
            Row(Column("date_of_birth"), Column("a_number"), Column("last_arrival_date"), Column("next_hearing_date")),
            Row(Column("detained"), Column("prior_removal_order"), Column("in_absentia_order"), css_class="mb-2"),
            Row(Column("reason"), Column("reason_details", css_class="col-md-5"), Column("referred_by")),
        )

    def clean_last_arrival_date(self):
        return _not_in_future(
            self.cleaned_data.get("last_arrival_date"), _("The date of arrival cannot be in the future.")
        )

    def clean(self):
        cleaned = super().clean()
        self._check_after_birth("last_arrival_date", _("The date of arrival cannot be before the date of birth."))
        return cleaned


class WalkInStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[choice for choice in WalkIn.Status.choices if choice[0] != WalkIn.Status.ACCEPTED]
    )
    consultation_at = forms.DateTimeField(
        label=_("Consultation on"),
        required=False,
        widget=DateTimeInput,
        help_text=_("Needed when a consultation is booked."),
    )


class WalkInAppointmentForm(forms.Form):
    """The walk-in's return appointment, printed on their slip. Whether the time is still to come is
    the service's rule (clients.services.walk_in_set_appointment)."""

    # The walk-in's page also holds the status form, with a consultation_at of its own.
    PREFIX = "appointment"

    consultation_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=DateTimeInput,
        error_messages={
            "required": _("Give the date and time of the appointment."),
            "invalid": _("Enter a real date and time."),
        },
    )
    consultation_with = forms.CharField(
        label=_("With (optional)"),
        max_length=100,
        required=False,
        help_text=_("The staff member to ask for, as printed on the slip. No notes: the person takes it home."),
    )


LIST_LONGEST_RANGE_DAYS = 366
_REAL_DATE = {"invalid": _("Enter a real date, like 2026-11-02.")}


class WalkInListForm(forms.Form):
    """The walk-in list's filters: a week (any day of it) or a range of days (date_from and
    date_to, both included; the week wins if both are given), and a status key of
    clients.selectors.WALK_IN_LIST_STATUSES. Cleaning only; period() says which days to show."""

    week = ListDateField(label=_("Week of"), required=False, widget=DateInput, error_messages=_REAL_DATE)
    date_from = ListDateField(label=_("From"), required=False, widget=DateInput, error_messages=_REAL_DATE)
    date_to = ListDateField(label=_("To"), required=False, widget=DateInput, error_messages=_REAL_DATE)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All statuses")),
            *[(status.value, status.label) for status in WalkIn.CLOSED_STATUSES],
            ("open", _("Still open")),
        ],
        error_messages={"invalid_choice": _("Choose a status from the list.")},
    )

    def clean(self):
        cleaned = super().clean()
        if any(name in self.errors for name in ("week", "date_from", "date_to")) or cleaned.get("week"):
            return cleaned
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if bool(start) != bool(end):
            self.add_error("date_to" if start else "date_from", _("Enter both the first and the last day."))
        elif start and end < start:
            self.add_error("date_to", _("The last day is before the first day."))
        elif start and (end - start).days + 1 > LIST_LONGEST_RANGE_DAYS:
            self.add_error("date_to", _("Choose at most %(days)s days.") % {"days": LIST_LONGEST_RANGE_DAYS})
        return cleaned

    def period(self, *, today) -> tuple:
        """(first day, last day, status key) to show. Without dates, or when anything is wrong,
        the week of `today` and every status (the form then shows what was wrong)."""
        monday = today - timedelta(days=today.weekday())
        if not self.is_valid():
            return monday, monday + timedelta(days=6), ""
        week, start, end = (self.cleaned_data[name] for name in ("week", "date_from", "date_to"))
        if week:
            monday = week - timedelta(days=week.weekday())
        elif start:
            return start, end, self.cleaned_data["status"]
        return monday, monday + timedelta(days=6), self.cleaned_data["status"]


class ConflictQueryForm(PersonFieldsMixin, forms.Form):
    given_names = forms.CharField(label=_("Given names"), max_length=100)
    paternal_surname = forms.CharField(label=_("Paternal surname"), max_length=100, required=False)
    maternal_surname = forms.CharField(label=_("Maternal surname"), max_length=100, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)
    a_number = a_number_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("given_names"), Column("paternal_surname"), Column("maternal_surname")),
            Row(Column("date_of_birth"), Column("a_number")),
        )


class ConflictDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ConflictCheck.Decision.choices, widget=forms.RadioSelect)
    decision_note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when a conflict is waived: why, and how the clients gave informed consent."),
    )

    def __init__(self, *args, can_waive: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_waive:
            self.fields["decision"].choices = [
                choice for choice in ConflictCheck.Decision.choices if choice[0] != ConflictCheck.Decision.WAIVED
            ]


class ClientForm(PersonFieldsMixin, forms.ModelForm):
    a_number = a_number_field()

    class Meta:
        model = Client
        fields = [
            "given_names", "paternal_surname", "maternal_surname", "date_of_birth", "sex",
            "country_of_nationality", "country_of_birth", "preferred_language", "other_languages",
            "interpreter_needed", "a_number", "phone", "alternate_phone", "email", "safe_contact_instructions",
            "last_entry_date", "manner_of_entry", "detained", "detention_facility",
        ]  # fmt: skip
        widgets = {"date_of_birth": DateInput, "last_entry_date": DateInput}

    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is drawn, not for every row a spreadsheet import cleans with it.
        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(
            Fieldset(
                _("Name and identity"),
                Row(Column("given_names"), Column("paternal_surname"), Column("maternal_surname")),
                Row(Column("date_of_birth"), Column("sex"), Column("a_number")),
                Row(Column("country_of_nationality"), Column("country_of_birth")),
            ),
            Fieldset(
                _("Language and contact"),
                Row(
                    Column("preferred_language"),
                    Column("other_languages"),
                    Column("interpreter_needed", css_class="pt-md-4"),
                ),
                Row(Column("phone"), Column("alternate_phone"), Column("email")),
                Field("safe_contact_instructions"),
            ),
            Fieldset(
                _("Entry and detention"),
                Row(Column("last_entry_date"), Column("manner_of_entry")),
                Row(Column("detained", css_class="pt-md-4"), Column("detention_facility")),
            ),
        )
        return helper

    def clean_last_entry_date(self):
        return _not_in_future(self.cleaned_data.get("last_entry_date"), _("The date of entry cannot be in the future."))

    def clean(self):
        cleaned = super().clean()
        self._check_after_birth("last_entry_date", _("The date of entry cannot be before the date of birth."))
        if cleaned.get("detention_facility") and not cleaned.get("detained"):
            self.add_error("detained", _("Tick “detained” when you name a detention facility."))
        return cleaned


class AddressForm(forms.Form):
    line1 = forms.CharField(label=_("Street address"), max_length=200)
    line2 = forms.CharField(label=_("Apartment, unit, care of"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.ChoiceField(label=_("State"), choices=[("", "—"), *US_STATES], initial="TX")
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10)
    moved_on = forms.DateField(label=_("Moved in on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("line1", css_class="col-md-8"), Column("line2")),
            Row(Column("city"), Column("state"), Column("zip_code"), Column("moved_on")),
        )

    def clean_zip_code(self):
        value = self.cleaned_data["zip_code"].strip()
        if not _ZIP.match(value):
            raise ValidationError(_("A ZIP code has 5 digits, or 5 + 4 like 79901-1234."))
        return value

    def clean_moved_on(self):
        return _not_in_future(self.cleaned_data.get("moved_on"), _("The move date cannot be in the future."))

    def address(self) -> dict:
        return {field: self.cleaned_data[field] for field in ("line1", "line2", "city", "state", "zip_code")}


class OptionalAddressForm(AddressForm):
    """The address on the new-client form: all or nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def has_address(self) -> bool:
        return bool(
            self.is_bound and any(self.data.get(self.add_prefix(name)) for name in ("line1", "city", "zip_code"))
        )

    def clean(self):
        cleaned = super().clean()
        if self.has_address():
            for name in ("line1", "city", "state", "zip_code"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Needed for an address."))
        return cleaned

    def clean_zip_code(self):
        return super().clean_zip_code() if self.cleaned_data.get("zip_code") else ""


class AliasForm(forms.ModelForm):
    class Meta:
        model = ClientAlias
        fields = ["kind", "name"]
        widgets = {
            "kind": forms.Select(attrs={"class": "form-select"}),
            "name": forms.TextInput(attrs={"class": "form-control"}),
        }


class FamilyMemberForm(PersonFieldsMixin, forms.ModelForm):
    a_number = a_number_field()

    class Meta:
        model = FamilyMember
        fields = [
            "relationship", "given_names", "paternal_surname", "maternal_surname", "date_of_birth",
            "marital_status", "location", "country_of_residence", "a_number", "us_citizen",
        ]  # fmt: skip
        widgets = {"date_of_birth": DateInput}

    def __init__(self, *args, allow_abroad: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_abroad:
            self.fields["location"].choices = [
                choice for choice in FamilyMember.Location.choices if choice[0] != FamilyMember.Location.ABROAD
            ]
            self.fields["location"].help_text = _("An attorney records family members who are abroad.")
            del self.fields["country_of_residence"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("relationship"), Column("marital_status")),
            Row(Column("given_names"), Column("paternal_surname"), Column("maternal_surname")),
            Row(Column("date_of_birth"), Column("a_number"), Column("us_citizen", css_class="pt-md-4")),
            Row(*[Column(name) for name in ("location", "country_of_residence") if name in self.fields]),
        )


class AdversePartyForm(forms.ModelForm):
    class Meta:
        model = AdverseParty
        fields = ["name", "other_names", "role", "organization", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"other_names": _("Separate several with a semicolon (;).")}

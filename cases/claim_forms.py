"""Forms of the claim tab; they only clean input. Each element's legal test is its help text, in
one line with the precedent (../shared/domain-rules.md, section 2)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.claim_selectors import (
    ELEMENT_FIELDS,
    ELEMENT_LABELS,
    EXCEPTIONS_WITH_A_DATE,
    LEGAL_TESTS,
    PERSECUTOR_LABELS,
    PSG_NOTES,
)
from cases.models import BarCheck, Claim, HarmIncident
from clients.forms import DateInput

GROUND_LABELS = {
    "ground_race": _("Race"),
    "ground_religion": _("Religion"),
    "ground_nationality": _("Nationality"),
    "ground_social_group": _("Membership in a particular social group"),
    "ground_political_opinion": _("Political opinion"),
}
PSG_FIELDS = ("psg_wording", *PSG_NOTES)
# Rendered by crispy with the page's context, which has the case.
ADD_PARTY_LINK = HTML('{% include "cases/claim_add_party_link.html" %}')
REASONABLE_PERIOD = _(
    'Even with an exception, the I-589 must be filed within a "reasonable period" after the circumstance '
    "(8 CFR 208.4(a)(4)-(5))."
)


def _not_in_future(value, message):
    if value and value > timezone.localdate():
        raise ValidationError(message)
    return value


def _fieldset(legend, *fields, **attrs) -> Fieldset:
    return Fieldset(legend, *fields, template="cases/claim_fieldset.html", **attrs)


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ClaimGroundsForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = [*Claim.GROUND_FIELDS, *PSG_FIELDS]
        labels = {**GROUND_LABELS, **ELEMENT_LABELS, "psg_wording": _("The group, in its exact wording")}
        help_texts = {field: LEGAL_TESTS[field] for field in PSG_FIELDS}
        widgets = {"psg_wording": _textarea(2)} | {field: _textarea() for field in PSG_NOTES}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _fieldset(_("Protected grounds (INA 101(a)(42)(A))"), *Claim.GROUND_FIELDS),
            # Hidden by static/js/claim.js while the social group is not chosen.
            _fieldset(
                _("Particular social group"),
                *PSG_FIELDS,
                css_id="psg-fields",
                data_shown_by="id_ground_social_group",
            ),
        )


class AdversePartyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, party):
        details = ", ".join(str(value) for value in (party.get_role_display(), party.organization) if value)
        return f"{party.name} ({details})"


class ClaimPersecutorsForm(forms.Form):
    persecutor_type = forms.ChoiceField(
        label=_("Who persecuted the client"),
        choices=[
            ("", _("Not yet known")),
            *((value, PERSECUTOR_LABELS[value]) for value in Claim.PersecutorType.values),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "For a persecutor who is not the government, the claim must show the government's failure to protect."
        ),
    )
    persecutors = AdversePartyChoiceField(
        label=_("The persecutors, among the principal's adverse parties"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persecutors"].queryset = parties
        self.helper = _helper("persecutor_type", "persecutors")


class ClaimElementsForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = list(ELEMENT_FIELDS)
        labels = {field: ELEMENT_LABELS[field] for field in ELEMENT_FIELDS}
        help_texts = {field: LEGAL_TESTS[field] for field in ELEMENT_FIELDS}
        widgets = {field: _textarea(4) for field in ELEMENT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(*self.Meta.fields)


class OneYearForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["one_year_status", "one_year_exception_date", "one_year_note"]
        labels = {
            "one_year_status": _("Status"),
            "one_year_exception_date": _("Date of the changed or extraordinary circumstance"),
            "one_year_note": _("Note"),
        }
        help_texts = {
            "one_year_status": _("INA 208(a)(2)(B); the exceptions are in INA 208(a)(2)(D)-(E)."),
            "one_year_exception_date": REASONABLE_PERIOD,
        }
        widgets = {"one_year_exception_date": DateInput, "one_year_note": _textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Row(Column("one_year_status"), Column("one_year_exception_date")),
            "one_year_note",
        )

    def clean_one_year_exception_date(self):
        return _not_in_future(
            self.cleaned_data.get("one_year_exception_date"), _("The circumstance cannot be in the future.")
        )

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("one_year_status")
        if status in EXCEPTIONS_WITH_A_DATE and not cleaned.get("one_year_exception_date"):
            if "one_year_exception_date" not in self.errors:
                self.add_error(
                    "one_year_exception_date",
                    _("Give the date of the circumstance: the exception is measured from it."),
                )
        elif status and status not in EXCEPTIONS_WITH_A_DATE:
            # The date belongs to the exception; with none claimed it would only mislead.
            cleaned["one_year_exception_date"] = None
        return cleaned


class IncidentForm(forms.ModelForm):
    perpetrator_parties = AdversePartyChoiceField(
        label=_("Adverse parties involved"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    police_failed_to_act = forms.BooleanField(
        label=_("The police took no action"),
        required=False,
        help_text=_("No investigation, no arrest, no protection after the report."),
    )

    class Meta:
        model = HarmIncident
        fields = [
            "occurred_on", "date_is_approximate", "place", "description", "perpetrators", "perpetrator_parties",
            "reported_to_police", "police_response",
        ]  # fmt: skip
        labels = {
            "occurred_on": _("Date"),
            "date_is_approximate": _("The date is approximate"),
            "place": _("Place"),
            "description": _("What happened"),
            "perpetrators": _("By whom"),
            "reported_to_police": _("Reported to the police?"),
            "police_response": _("What the police did, or why it was not reported"),
        }
        help_texts = {
            "perpetrators": _("In the client's words: names, nicknames, uniforms, groups."),
        }
        widgets = {
            "occurred_on": DateInput,
            "description": _textarea(4),
            "reported_to_police": forms.RadioSelect,
            "police_response": _textarea(),
        }

    def __init__(self, *args, parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["perpetrator_parties"].queryset = parties
        self.helper = _helper(
            Row(Column("occurred_on", css_class="col-md-4"), Column("place", css_class="col-md-8")),
            "date_is_approximate",
            "description",
            Row(
                Column("perpetrators", css_class="col-md-6"),
                Column("perpetrator_parties", ADD_PARTY_LINK, css_class="col-md-6"),
            ),
            _fieldset(
                _("Police"),
                Div("reported_to_police", css_class="mb-1"),
                "police_failed_to_act",
                "police_response",
            ),
        )

    def clean_occurred_on(self):
        return _not_in_future(self.cleaned_data.get("occurred_on"), _("An incident cannot be in the future."))

    def clean(self):
        cleaned = super().clean()
        reported = cleaned.get("reported_to_police")
        if cleaned.get("police_failed_to_act") and reported and reported != HarmIncident.Reported.YES:
            self.add_error(
                "police_failed_to_act", _("Only an incident reported to the police can be left unanswered by them.")
            )
        return cleaned


class BarCheckForm(forms.ModelForm):
    class Meta:
        model = BarCheck
        fields = ["applies", "rebutted", "note"]
        widgets = {
            "applies": forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
            "rebutted": forms.Select(attrs={"class": "form-select form-select-sm w-auto"}),
            "note": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        }


# One row per bar the claim already has (case_open creates them all); nothing added or removed here.
# At most one form per bar: a post claiming more forms (up to Django's default of 1,000) is refused
# instead of built and drawn, which took seconds per post.
class BaseBarCheckFormSet(BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django checks each posted id against every bar check of every clinic; this claim's will do.
        form.fields["id"].queryset = self.get_queryset()
        form.fields["id"].error_messages["invalid_choice"] = _("Only the bars of this claim can be checked here.")


BarCheckFormSet = modelformset_factory(
    BarCheck,
    form=BarCheckForm,
    formset=BaseBarCheckFormSet,
    extra=0,
    edit_only=True,
    max_num=len(BarCheck.Bar),
    absolute_max=len(BarCheck.Bar),
)

"""Forms of reassignment (cases/reassign_views.py); they only clean input."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms import staff_who_can_lead

# A page of the case list holds 50; more than this in one post is not a person selecting rows.
MAX_CASES = 1000
MAX_ID = 2**31 - 1
UNREADABLE = _("The selection could not be read. Select the cases again.")
TOO_MANY = _("Select at most %(max)d cases at a time.")


class CaseIdsField(forms.Field):
    """Case ids posted as repeated values (checkboxes or hidden inputs): a sorted list of ints."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        try:
            ids = {int(item) for item in value}
        except (TypeError, ValueError):
            raise ValidationError(UNREADABLE, code="invalid") from None
        if any(pk <= 0 or pk > MAX_ID for pk in ids):
            raise ValidationError(UNREADABLE, code="invalid")
        if len(ids) > MAX_CASES:
            raise ValidationError(TOO_MANY, code="too_many", params={"max": MAX_CASES})
        return sorted(ids)


class ReassignForm(forms.Form):
    """The new lead attorney of one case."""

    to_attorney = forms.ModelChoiceField(
        label=_("New lead attorney"),
        queryset=None,
        empty_label=_("Choose an attorney"),
        error_messages={
            "required": _("Choose the attorney to reassign to."),
            "invalid_choice": _("Choose an active attorney or supervisor of this clinic from the list."),
        },
    )
    keep_previous_on_team = forms.BooleanField(
        label=_("Keep the previous lead on the team"),
        required=False,
        help_text=_("Otherwise the previous lead leaves the case and stops getting its reminders."),
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_attorney"].queryset = staff_who_can_lead(clinic)


class BulkReassignForm(ReassignForm):
    """The case list's form: the ticked cases (or, with "select all", every case of the page)."""

    cases = CaseIdsField(required=False)
    # Every case shown on the page, sent with the form so "select all on this page" works without script.
    page_cases = CaseIdsField(required=False)
    select_page = forms.BooleanField(required=False)
    # The list's filters, to come back to the same list.
    query = forms.CharField(required=False, max_length=2000)

    def clean(self):
        cleaned = super().clean()
        chosen = set(cleaned.get("cases") or [])
        if cleaned.get("select_page"):
            chosen |= set(cleaned.get("page_cases") or [])
        if not chosen and not self.has_error("cases") and not self.has_error("page_cases"):
            raise ValidationError(_("Select at least one case to reassign."), code="empty")
        if len(chosen) > MAX_CASES:
            raise ValidationError(TOO_MANY, code="too_many", params={"max": MAX_CASES})
        cleaned["case_ids"] = sorted(chosen)
        return cleaned

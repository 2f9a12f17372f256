"""Forms of the evidence pages: they only clean what staff send. cases.uploads judges the files and
cases.evidence_services writes."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.claim_elements import elements_of_claim
from cases.evidence_selectors import element_label
from cases.models import Evidence
from cases.uploads import ACCEPTED_EXTENSIONS

ACCEPT = ",".join([*ACCEPTED_EXTENSIONS, "application/pdf", "image/*"])


def link_value(element: str, incident_id: int | None = None) -> str:
    """How a link to a claim element travels in a form: "nexus", or "harm:12" for an incident."""
    return f"{element}:{incident_id}" if incident_id else element


def parse_link_value(value: str) -> tuple[str, int | None]:
    element, _sep, incident = value.partition(":")
    return element, int(incident) if incident else None


def link_choices(claim, incidents, current_links=()) -> list[tuple[str, str]]:
    """The elements this claim must prove, plus any the document is already linked to (so that
    editing it never drops a link the claim no longer asks for)."""
    by_id = {incident.pk: incident for incident in incidents}
    rows = elements_of_claim(claim, list(by_id))
    choices = [(link_value(*row), element_label(row.element, by_id.get(row.incident_id))) for row in rows]
    offered = {value for value, _label in choices}
    for link in current_links:
        if link_value(link.element, link.incident_id) not in offered:
            choices.append((link_value(link.element, link.incident_id), element_label(link.element, link.incident)))
    return choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        clean_one = super().clean
        if isinstance(data, list | tuple):
            return [clean_one(item, initial) for item in data]
        return [clean_one(data, initial)]


def _model_field(name: str, **kwargs):
    return Evidence._meta.get_field(name).formfield(**kwargs)


class EvidenceLinksMixin:
    """The "what it supports" checkboxes: the claim's elements (cases.claim_elements) as choices."""

    def _set_links(self, link_choices):
        self.fields["links"].choices = link_choices

    def clean_links(self) -> list[tuple[str, int | None]]:
        return [parse_link_value(value) for value in self.cleaned_data.get("links", [])]


class EvidenceUploadForm(EvidenceLinksMixin, forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "PDF, photos (JPEG, PNG, HEIC from a phone, TIFF) or Word (.docx), up to 25 MB each. "
            "Choose several at once if they share the details below."
        ),
        # cases.uploads refuses an empty file by name, among the others of the batch.
        allow_empty_file=True,
        error_messages={"required": _("Choose the file(s) to upload.")},
    )
    title = forms.CharField(
        label=_("Description"),
        max_length=200,
        required=False,
        help_text=_("What the document is, as it will read in the exhibit list. Left empty, the file name is used."),
    )
    category = _model_field("category")
    language = _model_field("language")
    translation = _model_field("translation")
    translator_certificate = _model_field("translator_certificate")
    links = forms.MultipleChoiceField(
        label=_("What it supports"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, link_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_links(link_choices)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("files", css_class="col-lg-6"), Column("title", css_class="col-lg-6")),
            Row(Column("category"), Column("language"), Column("translation")),
            "translator_certificate",
        )


class EvidenceEditForm(EvidenceLinksMixin, forms.Form):
    title = _model_field("title")
    category = _model_field("category")
    language = _model_field("language")
    translation = _model_field("translation")
    translator_certificate = _model_field("translator_certificate")
    page_count = forms.IntegerField(
        label=_("Pages"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Counted from the file when it can be; enter it when it could not."),
    )
    links = forms.MultipleChoiceField(
        label=_("What it supports"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, link_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._set_links(link_choices)


class ExhibitActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("add", _("Add")), ("remove", _("Remove")), ("up", _("Move up")), ("down", _("Move down"))]
    )

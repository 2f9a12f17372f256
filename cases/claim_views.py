"""The claim tab: thin views. Each loads the case through cases.access (404 for a case the user
may not see, 403 for intake staff and clinic admins, 403 for a write by a reader), then a form,
a service, a redirect back to the section of the claim page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from cases import claim_selectors as selectors
from cases import claim_services as services
from cases.access import case_for_user
from cases.claim_forms import (
    BarCheckFormSet,
    ClaimElementsForm,
    ClaimGroundsForm,
    ClaimPersecutorsForm,
    IncidentForm,
    OneYearForm,
)
from cases.context import case_page
from clinic.formerrors import add_service_error

# The sections of the claim page edited through claim_update: form, heading, anchor.
SECTIONS = {
    "grounds": (ClaimGroundsForm, gettext_lazy("Protected grounds and particular social group")),
    "elements": (ClaimElementsForm, gettext_lazy("Fear, nexus, protection and relocation")),
    "one-year": (OneYearForm, gettext_lazy("One-year deadline")),
}


def _case(request, pk: int, *, write: bool = False):
    return case_for_user(actor=request.user, pk=pk, confidential=True, write=write)


def _back(pk: int, section: str):
    return redirect(reverse("cases:claim", args=[pk]) + f"#{section}")


def _edit_page(request, case, form, section: str, heading: str, **extra):
    _viewed_for_editing(request, case)
    context = case_page(request, case, "claim", form=form, section=section, heading=heading, **extra)
    return render(request, "cases/claim_form.html", context)


def _viewed_for_editing(request, case) -> None:
    """A claim's edit pages show its narratives too: opening one is a look at the claim."""
    if request.method == "GET":
        services.claim_viewed(actor=request.user, case=case, claim=selectors.claim_of(case), request=request)


@require_GET
def claim(request, pk: int):
    case = _case(request, pk)
    page = selectors.claim_page(case=case, today=timezone.localdate())
    services.claim_viewed(actor=request.user, case=case, claim=page.claim, request=request)
    return render(request, "cases/claim.html", case_page(request, case, "claim", page=page))


def claim_section(request, pk: int, section: str):
    """Grounds and social group, the four narrative elements, or the one-year deadline."""
    form_class, heading = SECTIONS[section]
    case = _case(request, pk, write=True)
    claim = selectors.claim_of(case)
    form = form_class(request.POST or None, initial=model_to_dict(claim, fields=form_class.Meta.fields))
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_update(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The claim was saved."))
            return _back(pk, section)
    one_year = selectors.one_year_of(claim, case, timezone.localdate())
    return _edit_page(request, case, form, section, heading, one_year=one_year)


def claim_persecutors(request, pk: int):
    case = _case(request, pk, write=True)
    claim = selectors.claim_of(case)
    initial = {"persecutor_type": claim.persecutor_type, "persecutors": list(claim.persecutors.all())}
    parties = selectors.principal_adverse_parties(case)
    form = ClaimPersecutorsForm(request.POST or None, initial=initial, parties=parties)
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_set_persecutors(actor=request.user, case=case, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The persecutors were saved."))
            return _back(pk, "persecutors")
    return _edit_page(request, case, form, "persecutors", _("Persecutors"))


def incident_edit(request, pk: int, incident_pk: int | None = None):
    case = _case(request, pk, write=True)
    incident = selectors.incident_get(case=case, pk=incident_pk) if incident_pk else None
    initial = selectors.incident_initial(incident) if incident else None
    form = IncidentForm(request.POST or None, initial=initial, parties=selectors.principal_adverse_parties(case))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parties, inaction = data.pop("perpetrator_parties"), data.pop("police_failed_to_act")
        try:
            services.incident_save(
                actor=request.user, case=case, data=data, perpetrator_parties=parties,
                police_failed_to_act=inaction, incident=incident, request=request,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The incident was saved."))
            return _back(pk, "incidents")
    heading = _("Edit the incident") if incident else _("Add a harm incident")
    return _edit_page(request, case, form, "incidents", heading)


@require_POST
def incident_delete(request, pk: int, incident_pk: int):
    case = _case(request, pk, write=True)
    incident = selectors.incident_get(case=case, pk=incident_pk)
    services.incident_remove(actor=request.user, incident=incident, request=request)
    messages.success(request, _("The incident was removed."))
    return _back(pk, "incidents")


def claim_bars(request, pk: int):
    case = _case(request, pk, write=True)
    formset = BarCheckFormSet(request.POST or None, queryset=selectors.bar_checks(case))
    if request.method == "POST" and formset.is_valid():
        answers = {form.instance.pk: form.cleaned_data for form in formset.initial_forms}
        try:
            services.bar_checks_update(actor=request.user, case=case, answers=answers, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The bars were saved."))
            return _back(pk, "bars")
    _viewed_for_editing(request, case)
    return render(request, "cases/claim_bars.html", case_page(request, case, "claim", formset=formset))

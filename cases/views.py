"""Thin views of the case core: a scoped lookup, a form, a service, a redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import deadline_selectors, deadline_services, reassign_views, selectors, services
from cases.access import CASE_ROLES, OPEN_ROLES
from cases.context import case_page
from cases.forms import (
    CaseFieldsForm,
    CaseFilterForm,
    CaseOpenForm,
    CloseForm,
    DeadlineFinishForm,
    DeadlineForm,
    NoteForm,
    OutcomeForm,
    ReliefAddForm,
    ReliefForm,
    TeamForm,
)
from cases.models import CaseAssignment
from clients.selectors import client_get
from clinic.formerrors import add_service_error
from clinic.permissions import Role, role_required


def _to_case(case, anchor: str = ""):
    return redirect(reverse("cases:case-detail", args=[case.pk]) + anchor)


@role_required(Role.ATTORNEY, Role.SUPERVISOR)
def my_work(request):
    """The attorney's start page: hearings and deadlines of their cases in the next seven days."""
    return render(
        request, "cases/my_work.html", {"week": selectors.my_week(actor=request.user, today=timezone.localdate())}
    )


@role_required(*CASE_ROLES)
def case_list(request):
    form = CaseFilterForm(request.GET or None, clinic=request.clinic)
    filters = form.filters()
    page = selectors.case_list(actor=request.user, filters=filters, after=filters.get("after") or "")
    query = request.GET.copy()
    query.pop("after", None)
    selects = form.select_options()
    context = {
        "form": form, "selects": selects, "page": page, "query": query.urlencode(),
        "is_first_page": not filters.get("after"),
        "reassign": reassign_views.list_context(request, selects, page.cases),
        "outcome_notice": form.outcome_notice(), "outcome_not_understood": form.outcome_not_understood,
        "outcome_params": form.outcome_params(), "without_outcome_url": _without_outcome_filters(query),
    }  # fmt: skip
    return render(request, "cases/case_list.html", context)


def _without_outcome_filters(query) -> str:
    """The case list with the same filters but the outcome ones (the notice's "Show all cases")."""
    query = query.copy()
    for name in selectors.OUTCOME_FILTERS:
        query.pop(name, None)
    return reverse("cases:case-list") + (f"?{query.urlencode()}" if query else "")


@role_required(*OPEN_ROLES)
def case_open(request, client_pk: int):
    client = client_get(actor=request.user, pk=client_pk)
    initial = {"last_arrival_date": client.last_entry_date, "included_family": list(client.family_members.all())}
    if request.membership.role == Role.ATTORNEY:
        initial["lead_attorney"] = request.user
    form = CaseOpenForm(request.POST or None, client=client, clinic=request.clinic, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in ("lead_attorney", "team", "included_family")
        }
        try:
            case = services.case_open(
                actor=request.user, client=client, data=data, lead_attorney=form.cleaned_data["lead_attorney"],
                team=form.cleaned_data["team"], included_family=form.cleaned_data["included_family"], request=request,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Case %(number)s was opened.") % {"number": case.number})
            return _to_case(case)
    return render(request, "cases/case_open.html", {"form": form, "client": client})


@role_required(*CASE_ROLES)
def case_detail(request, pk: int):
    case = selectors.case_overview(actor=request.user, pk=pk)
    services.case_viewed(actor=request.user, case=case, page="overview", request=request)
    context = case_page(request, case, "overview", deadline_form=DeadlineForm(), today=timezone.localdate())
    if context["sees_confidential"]:
        today = deadline_services.clinic_today(request.clinic)
        context["panel"] = deadline_selectors.deadline_panel(case=case, today=today)
    return render(request, "cases/case_detail.html", context)


@role_required(*CASE_ROLES)
def case_edit(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True)
    # The form validates into a copy of its own; the service compares the stored values with the new ones.
    form = CaseFieldsForm(
        request.POST or None, instance=selectors.case_get(actor=request.user, pk=pk), client=case.client
    )
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "included_family"}
        try:
            services.case_update(
                actor=request.user,
                case=case,
                data=data,
                included_family=form.cleaned_data["included_family"],
                request=request,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes were saved."))
            return _to_case(case)
    return render(request, "cases/case_form.html", case_page(request, case, "overview", form=form))


@role_required(*CASE_ROLES)
def case_team(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True)
    assignments = list(case.assignments.select_related("user"))
    initial = {
        "lead_attorney": next((a.user for a in assignments if a.role == CaseAssignment.Role.LEAD), None),
        "team": [a.user for a in assignments if a.role == CaseAssignment.Role.TEAM],
    }
    form = TeamForm(request.POST or None, clinic=request.clinic, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_set_team(actor=request.user, case=case, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The team was saved."))
            return _to_case(case, "#team")
    return render(request, "cases/case_team.html", case_page(request, case, "overview", form=form))


@role_required(*CASE_ROLES)
def relief_edit(request, pk: int, relief_pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True, confidential=True)
    relief = selectors.relief_get(case=case, pk=relief_pk)
    form = ReliefForm(request.POST or None, instance=selectors.relief_get(case=case, pk=relief_pk))
    if request.method == "POST" and form.is_valid():
        services.relief_update(actor=request.user, relief=relief, data=form.cleaned_data, request=request)
        messages.success(request, _("The application was saved."))
        return _to_case(case, "#relief")
    return render(request, "cases/relief_form.html", case_page(request, case, "overview", form=form, relief=relief))


@require_POST
@role_required(*CASE_ROLES)
def relief_add(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True, confidential=True)
    form = ReliefAddForm(request.POST)
    if form.is_valid():
        try:
            services.relief_add(actor=request.user, case=case, kind=form.cleaned_data["kind"], request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _to_case(case, "#relief")


@role_required(*CASE_ROLES)
def case_outcome(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True, confidential=True)
    form = OutcomeForm(request.POST or None, instance=selectors.case_get(actor=request.user, pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_record_outcome(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The outcome was saved."))
            return _to_case(case, "#outcome")
    return render(request, "cases/outcome_form.html", case_page(request, case, "overview", form=form))


@role_required(*CASE_ROLES)
def case_close(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True, confidential=True)
    form = CloseForm(request.POST or None, case=case, initial={"closed_on": timezone.localdate()})
    open_count = 0
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=request.user, case=case, request=request, **form.cleaned_data)
        except services.OpenDeadlinesError as exc:
            open_count = exc.count
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Case %(number)s was closed.") % {"number": case.number})
            return _to_case(case)
    context = case_page(request, case, "overview", form=form, open_count=open_count)
    return render(request, "cases/case_close.html", context)


@role_required(*CASE_ROLES)
def case_notes(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, confidential=True)
    form = NoteForm(request.POST or None)
    if request.method == "POST":
        case = selectors.case_get(actor=request.user, pk=pk, write=True, confidential=True)
        if form.is_valid():
            try:
                services.note_add(actor=request.user, case=case, request=request, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The note was added."))
                return redirect("cases:notes", pk=pk)
    notes = selectors.case_notes(case=case)
    services.case_viewed(actor=request.user, case=case, page="notes", request=request)
    return render(request, "cases/case_notes.html", case_page(request, case, "notes", form=form, notes=notes))


@require_POST
@role_required(*CASE_ROLES)
def deadline_add(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True, confidential=True)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        services.deadline_add(actor=request.user, case=case, request=request, **form.cleaned_data)
        messages.success(request, _("The deadline was added."))
    else:
        messages.error(request, _("A deadline needs what is due and a date."))
    return _to_case(case, "#deadlines")


@require_POST
@role_required(*CASE_ROLES)
def deadline_finish(request, pk: int, deadline_pk: int):
    case = selectors.case_get(actor=request.user, pk=pk, write=True, confidential=True)
    deadline = selectors.deadline_get(case=case, pk=deadline_pk)
    form = DeadlineFinishForm(request.POST)
    if form.is_valid():
        try:
            services.deadline_finish(actor=request.user, deadline=deadline, request=request, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The deadline was updated."))
    return _to_case(case, "#deadlines")

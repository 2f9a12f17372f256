"""Reassignment by a supervisor: many cases from the case list, or one from its page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cases import selectors
from cases.access import cases_visible_to
from cases.context import case_page
from cases.forms import Options
from cases.reassign import cases_reassign
from cases.reassign_forms import BulkReassignForm, ReassignForm
from cases.selectors import NO_ATTORNEY
from clinic.permissions import Role, role_required
from clinic.redirects import list_url


def list_context(request, selects: list[dict], cases) -> dict | None:
    """What the case list needs to draw the reassign form: supervisors only. The attorneys are
    those of the list's own attorney filter (already read), so the form costs no query."""
    if request.membership is None or request.membership.role != Role.SUPERVISOR:
        return None
    attorney = next(select for select in selects if select["name"] == "attorney")
    people = [(value, label) for value, label, _chosen in attorney["options"] if value and value != NO_ATTORNEY]
    # As HTML at once: a template loop over 50 cases and every attorney cost more than the form.
    return {
        "attorneys": people,
        "attorney_options": Options((value, label, False) for value, label in people).tags(),
        "page_inputs": format_html_join(
            "", '<input type="hidden" name="page_cases" value="{}">', ((case.pk,) for case in cases)
        ),
    }


def _done_message(request, count: int, wanted: int, to_attorney) -> None:
    name = str(to_attorney)
    if count:
        text = ngettext("%(count)d case reassigned to %(name)s.", "%(count)d cases reassigned to %(name)s.", count) % {
            "count": count,
            "name": name,
        }
        messages.success(request, text)
    if count < wanted:
        skipped = wanted - count
        text = ngettext(
            "%(count)d case was led by %(name)s already.", "%(count)d cases were led by %(name)s already.", skipped
        ) % {"count": skipped, "name": name}
        messages.info(request, text)


@require_POST
@role_required(Role.SUPERVISOR)
def cases_reassign_view(request):
    form = BulkReassignForm(request.POST, clinic=request.clinic)
    back = list_url("cases:case-list", request.POST.get("query", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    ids = form.cleaned_data["case_ids"]
    # A case the supervisor may not see (another clinic's, or none at all) answers 404, as anywhere.
    cases = cases_visible_to(request.user).filter(pk__in=ids)
    if cases.count() != len(ids):
        raise Http404
    to_attorney = form.cleaned_data["to_attorney"]
    try:
        count = cases_reassign(
            actor=request.user,
            cases=cases,
            to_attorney=to_attorney,
            keep_previous_on_team=form.cleaned_data["keep_previous_on_team"],
            request=request,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _done_message(request, count, len(ids), to_attorney)
    return redirect(back)


@role_required(Role.SUPERVISOR)
def case_reassign_view(request, pk: int):
    case = selectors.case_overview(actor=request.user, pk=pk)
    form = ReassignForm(request.POST or None, clinic=request.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            count = cases_reassign(actor=request.user, cases=[case], request=request, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("to_attorney", message)
        else:
            _done_message(request, count, 1, form.cleaned_data["to_attorney"])
            return redirect(reverse("cases:case-detail", args=[case.pk]) + "#team")
    return render(request, "cases/case_reassign.html", case_page(request, case, "overview", form=form))

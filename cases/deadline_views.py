"""Thin views of a case's deadlines, recorded events and EAD clock, and of the deadline rules with
the clinic's reminder lead times: a scoped lookup, a form, a service, a redirect."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import deadline_selectors as selectors
from cases import deadline_services as services
from cases.access import CASE_ROLES, case_for_user
from cases.context import case_page
from cases.deadline_forms import ClockResumeForm, ClockStopForm, EventForm, JudgeOrderForm, LeadTimesForm
from cases.models import CaseEvent, Deadline
from cases.reminders import failed_reminders
from clinic.formerrors import add_service_error
from clinic.permissions import Role, role_required


def _posted(request):
    """The submitted data, even when empty (an empty form must show its errors, not a blank page)."""
    return request.POST if request.method == "POST" else None


def _submitted(request, form, service) -> bool:
    """True once a posted, valid form went through `service` (called with the cleaned data); a
    ValidationError the service raises goes on the form instead."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        service(form.cleaned_data)
    except ValidationError as exc:
        add_service_error(form, exc)
        return False
    return True


def _to_case(case, anchor: str = "deadlines"):
    return redirect(reverse("cases:case-detail", args=[case.pk]) + f"#{anchor}")


def _changeable_case(request, pk: int):
    """The case, if the user may change it: 404 if they may not see it, 403 if only read it."""
    return case_for_user(actor=request.user, pk=pk, write=True, confidential=True)


@role_required(*CASE_ROLES)
def judge_order(request, pk: int, deadline_pk: int):
    case = _changeable_case(request, pk)
    deadline = selectors.deadline_get(case=case, pk=deadline_pk)
    today = services.clinic_today(case.clinic)
    row = selectors.DeadlineRow(deadline, today)
    if deadline.status != Deadline.Status.OPEN or not row.judge_can_set:
        messages.error(request, _("Only an open court deadline can be set by the judge's order."))
        return _to_case(case)
    initial = {"due_on": deadline.due_on} if deadline.judge_ordered else {}
    form = JudgeOrderForm(_posted(request), today=today, initial=initial)

    def save(data):
        services.deadline_set_judge_order(actor=request.user, deadline=deadline, due_on=data["due_on"], request=request)

    if _submitted(request, form, save):
        if form.cleaned_data["due_on"]:
            messages.success(request, _("The date of the judge's order was saved."))
        else:
            messages.success(request, _("The deadline is back to the rule's date."))
        return _to_case(case, f"deadline-{deadline.pk}")
    context = case_page(request, case, "overview", form=form, deadline=deadline, row=row)
    return render(request, "cases/deadline_judge_order.html", context)


@role_required(*CASE_ROLES)
def event_add(request, pk: int):
    case = _changeable_case(request, pk)
    form = EventForm(_posted(request), today=services.clinic_today(case.clinic))

    def save(data):
        services.event_record(actor=request.user, case=case, data=data, request=request)

    if _submitted(request, form, save):
        kind = CaseEvent.Kind(form.cleaned_data["kind"]).label
        messages.success(request, _("%(event)s was recorded.") % {"event": kind})
        return _to_case(case, "events")
    return render(request, "cases/deadline_event_form.html", case_page(request, case, "overview", form=form))


@role_required(*CASE_ROLES)
def event_remove(request, pk: int, event_pk: int):
    case = _changeable_case(request, pk)
    event = selectors.event_get(case=case, pk=event_pk)
    if request.method == "POST":
        services.event_remove(actor=request.user, event=event, request=request)
        messages.success(request, _("The event was removed; the deadlines it started were withdrawn."))
        return _to_case(case, "events")
    context = case_page(request, case, "overview", event=event, dependent=selectors.event_open_deadlines(event=event))
    return render(request, "cases/deadline_event_remove.html", context)


@role_required(*CASE_ROLES)
def clock_stop(request, pk: int):
    case = _changeable_case(request, pk)
    if not case.i589_received_on:
        messages.error(request, _("The EAD clock starts when the I-589 is received: enter that date first."))
        return _to_case(case)
    today = services.clinic_today(case.clinic)
    form = ClockStopForm(_posted(request), today=today, received_on=case.i589_received_on)

    def save(data):
        services.clock_stop_add(actor=request.user, case=case, request=request, **data)

    if _submitted(request, form, save):
        messages.success(request, _("The EAD clock was stopped."))
        return _to_case(case, "ead-clock")
    return render(request, "cases/deadline_clock_form.html", case_page(request, case, "overview", form=form))


@role_required(*CASE_ROLES)
def clock_resume(request, pk: int, stop_pk: int):
    case = _changeable_case(request, pk)
    stop = selectors.clock_stop_get(case=case, pk=stop_pk)
    today = services.clinic_today(case.clinic)
    form = ClockResumeForm(_posted(request), today=today, stopped_on=stop.stopped_on, initial={"resumed_on": today})

    def save(data):
        services.clock_stop_resume(actor=request.user, stop=stop, resumed_on=data["resumed_on"], request=request)

    if _submitted(request, form, save):
        messages.success(request, _("The EAD clock runs again."))
        return _to_case(case, "ead-clock")
    context = case_page(request, case, "overview", form=form, stop=stop)
    return render(request, "cases/deadline_clock_form.html", context)


# ---- the rules and the clinic's lead times -------------------------------------------------------

RULE_ROLES = (Role.ATTORNEY, Role.SUPERVISOR)


def _lead_form(rule_row, data=None) -> LeadTimesForm:
    initial = {"lead_days": ", ".join(str(day) for day in rule_row.lead_days)}
    return LeadTimesForm(data, initial=initial, auto_id=f"rule-{rule_row.rule.pk}-%s")


def _rules_page(request, bound: LeadTimesForm | None = None, bound_rule_pk: int | None = None):
    rows = selectors.rules_with_lead_times(clinic=request.clinic)
    can_edit = request.membership.role == Role.SUPERVISOR
    forms = {row.rule.pk: _lead_form(row) for row in rows} if can_edit else {}
    if bound is not None:
        forms[bound_rule_pk] = bound
    entries = [(row, forms.get(row.rule.pk)) for row in rows]
    failed = failed_reminders(actor=request.user).count() if can_edit else 0
    return render(request, "cases/lead_times.html", {"entries": entries, "can_edit": can_edit, "failed": failed})


@role_required(*RULE_ROLES)
def rules(request):
    return _rules_page(request)


@require_POST
@role_required(Role.SUPERVISOR)
def lead_times(request, rule_pk: int):
    rule = selectors.rule_get(pk=rule_pk)
    form = LeadTimesForm(request.POST, auto_id=f"rule-{rule.pk}-%s")

    def save(data):
        services.lead_times_set(
            actor=request.user, clinic=request.clinic, rule=rule, lead_days=data["lead_days"], request=request
        )

    if _submitted(request, form, save):
        messages.success(request, _("The reminder lead times were saved."))
        return redirect(reverse("cases:rules") + f"#rule-{rule.pk}")
    return _rules_page(request, bound=form, bound_rule_pk=rule.pk)

"""Thin views of a case's hearings and of the calendar: a scoped lookup, a form, a service, a redirect."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from cases import hearing_selectors as selectors
from cases import hearing_services as services
from cases import hearing_times
from cases.access import CASE_ROLES, case_for_user
from cases.context import case_page
from cases.hearing_forms import HearingForm, HearingResultForm
from cases.models import Hearing
from cases.services import case_viewed
from clinic.formerrors import add_service_error
from clinic.permissions import Role, role_required

VIEWS = ("month", "week")
# Calendar dates outside these years are a mistyped address, not a page to draw.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _to_list(case_pk: int, hearing: Hearing | None = None) -> str:
    url = reverse("cases:hearings", args=[case_pk])
    return f"{url}#hearing-{hearing.pk}" if hearing else url


def _hearing_page(request, hearing: Hearing, **extra) -> dict:
    return case_page(request, hearing.case, "hearings", row=selectors.hearing_row(hearing, timezone.now()), **extra)


def _warn_if_repeated_hour(request, form) -> None:
    """A time in the hour the clocks repeat was saved as its first occurrence: say so."""
    data = form.cleaned_data
    zone = services.hearing_zone(kind=data["kind"], court=data.get("court"), chosen=data.get("time_zone"))
    for clock in (data["starts"], data.get("ends")):
        if clock and zone and hearing_times.is_ambiguous(data["day"], clock, zone):
            first = hearing_times.to_utc(data["day"], clock, zone)
            messages.warning(
                request,
                _(
                    "%(time)s happens twice that night in %(zone)s (the clocks go back): "
                    "it was saved as the first, %(first)s."
                )
                % {"time": f"{clock:%H:%M}", "zone": zone, "first": hearing_times.format_clock(first, zone)},
            )


@role_required(*CASE_ROLES)
def hearing_list(request, pk: int):
    case = case_for_user(actor=request.user, pk=pk)
    case_viewed(actor=request.user, case=case, page="hearings", request=request)
    rows = selectors.hearings_of_case(actor=request.user, case=case, now=timezone.now())
    return render(request, "cases/hearing_list.html", case_page(request, case, "hearings", **rows))


@role_required(*CASE_ROLES)
def hearing_add(request, pk: int):
    case = case_for_user(actor=request.user, pk=pk, write=True)
    form = HearingForm(request.POST or None, case=case, clinic_zone=str(request.clinic.time_zone))
    if request.method == "POST" and form.is_valid():
        try:
            hearing = services.hearing_schedule(actor=request.user, case=case, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            _warn_if_repeated_hour(request, form)
            messages.success(request, _("The %(kind)s was added.") % {"kind": hearing.get_kind_display().lower()})
            return redirect(_to_list(case.pk, hearing))
    return render(request, "cases/hearing_form.html", case_page(request, case, "hearings", form=form))


@role_required(*CASE_ROLES)
def hearing_edit(request, pk: int, hearing_pk: int):
    hearing = selectors.hearing_for_user(actor=request.user, case_pk=pk, pk=hearing_pk, write=True)
    zone = str(request.clinic.time_zone)
    form = HearingForm(request.POST or None, case=hearing.case, clinic_zone=zone, hearing=hearing)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_update(actor=request.user, hearing=hearing, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            _warn_if_repeated_hour(request, form)
            messages.success(request, _("Changes were saved."))
            return redirect(_to_list(pk, hearing))
    return render(request, "cases/hearing_form.html", _hearing_page(request, hearing, form=form))


@role_required(*CASE_ROLES)
def hearing_result(request, pk: int, hearing_pk: int):
    hearing = selectors.hearing_for_user(actor=request.user, case_pk=pk, pk=hearing_pk, write=True)
    initial = {"result": hearing.result, "adjournment_reason": hearing.adjournment_reason, "notes": hearing.notes}
    form = HearingResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.hearing_record_result(actor=request.user, hearing=hearing, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The result was recorded."))
            return redirect(_to_list(pk, hearing))
    return render(request, "cases/hearing_result_form.html", _hearing_page(request, hearing, form=form))


@role_required(*CASE_ROLES)
def hearing_delete(request, pk: int, hearing_pk: int):
    """GET asks for confirmation; POST deletes."""
    hearing = selectors.hearing_for_user(actor=request.user, case_pk=pk, pk=hearing_pk, write=True)
    if request.method == "POST":
        services.hearing_delete(actor=request.user, hearing=hearing, request=request)
        messages.success(request, _("The hearing was deleted."))
        return redirect(_to_list(pk))
    return render(request, "cases/hearing_confirm_delete.html", _hearing_page(request, hearing))


# The calendar


def _first_weekday() -> int:
    """The locale's first day of the week (Django: 0 = Sunday) as Python counts (0 = Monday)."""
    return (int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def _anchor(request, today: date) -> date:
    value = request.GET.get("date")
    if not value:
        return today
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        messages.warning(request, _("That date could not be read; the calendar shows today."))
        return today
    return day


def _default_scope(request) -> str:
    return selectors.MINE if request.membership.role == Role.ATTORNEY else selectors.CLINIC


@role_required(*CASE_ROLES)
def calendar(request):
    """Hearings and interviews by month or week; "mine" (cases the user is on) or the clinic's."""
    today = timezone.localdate()
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "month"
    scope = request.GET.get("scope")
    scope = scope if scope in (selectors.MINE, selectors.CLINIC) else _default_scope(request)
    page = selectors.calendar_page(
        actor=request.user, view=view, anchor=_anchor(request, today), scope=scope, today=today,
        first_weekday=_first_weekday(), now=timezone.now(),
    )  # fmt: skip
    return render(request, "cases/calendar.html", {"page": page, "view": view, "scope": scope, "today": today})

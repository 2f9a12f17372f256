"""Thin views: a scoped lookup, a form, a service, a redirect."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.access import OPEN_ROLES
from cases.selectors import cases_of_client
from clients import selectors, services
from clients.access import CLIENT_ROLES, RESTRICTED_ROLES, sees_restricted
from clients.forms import (
    AddressForm,
    AdversePartyForm,
    AliasForm,
    ClientForm,
    ConflictDecisionForm,
    ConflictQueryForm,
    FamilyMemberForm,
    OptionalAddressForm,
    WalkInAppointmentForm,
    WalkInForm,
    WalkInListForm,
    WalkInStatusForm,
)
from clients.links import walk_in_list_url
from clients.models import AdverseParty, ClientAlias
from clinic.formerrors import add_service_error
from clinic.permissions import role_required
from clinic.redirects import same_site_path

QUEUE_PERIODS = ("today", "week")
WALK_IN_PAGE_SIZE = 50


# Intake desk and walk-ins


@role_required(*CLIENT_ROLES)
def intake_desk(request):
    today = timezone.localdate()
    period = request.GET.get("period") if request.GET.get("period") in QUEUE_PERIODS else "today"
    queue = selectors.walk_in_queue(actor=request.user, period=period, today=today)
    counts = selectors.walk_in_counts(actor=request.user, today=today)
    shown_closed = sum(1 for entry in queue if not entry.is_open)
    first = today if period == "today" else selectors.week_start(today)
    last = today if period == "today" else first + timedelta(days=6)
    context = {
        "today": today,
        "period": period,
        "queue": queue,
        "counts": counts,
        "closed_not_shown": counts[f"closed_{period}"] - shown_closed,
        # The closed ones not listed are on the walk-in list of the same days, a page at a time.
        "walk_in_list_url": walk_in_list_url(first=first, last=last),
    }
    return render(request, "clients/intake_desk.html", context)


@role_required(*CLIENT_ROLES)
def walk_in_list(request):
    """The walk-ins of one week or range of days, of one status or all: the list behind each
    figure of the dashboard's walk-in chart. Not audited, as the client list and the intake
    desk are not: each walk-in's own page is where a person's record is read."""
    form = WalkInListForm(request.GET)
    first, last, status = form.period(today=timezone.localdate(timezone=request.clinic.time_zone))
    rows = selectors.walk_ins_in_period(actor=request.user, first=first, last=last, status=status)
    page = Paginator(rows, WALK_IN_PAGE_SIZE).get_page(request.GET.get("page"))
    is_week = first.weekday() == 0 and (last - first).days == 6
    context = {
        "form": form,
        "first": first,
        "last": last,
        "is_week": is_week,
        "week_value": form["week"].value() or (first.isoformat() if is_week else ""),
        "status": status,
        "status_label": dict(form.fields["status"].choices)[status],
        "status_options": [(value, label, value == status) for value, label in form.fields["status"].choices],
        "page": page,
        "page_url": walk_in_list_url(first=first, last=last, status=status),
        "time_zone": request.clinic.time_zone,
    }
    return render(request, "clients/walk_in_list.html", context)


@role_required(*CLIENT_ROLES)
def walk_in_create(request):
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        walk_in = services.walk_in_log(actor=request.user, data=form.cleaned_data, request=request)
        messages.success(request, _("%(name)s was added to the queue.") % {"name": walk_in.full_name})
        return redirect("clients:walk-in-detail", pk=walk_in.pk)
    return render(request, "clients/walk_in_form.html", {"form": form})


@role_required(*CLIENT_ROLES)
def walk_in_detail(request, pk: int):
    walk_in = selectors.walk_in_get(actor=request.user, pk=pk)
    services.walk_in_viewed(actor=request.user, walk_in=walk_in, request=request)
    checks = list(selectors.conflict_checks_of(actor=request.user, walk_in=walk_in))
    latest = checks[0] if checks else None
    context = {
        "walk_in": walk_in,
        "triage": selectors.walk_in_triage(walk_in, timezone.localdate()),
        "latest_check": latest,
        "latest_rows": selectors.conflict_rows(actor=request.user, check=latest) if latest else [],
        "earlier_checks": checks[1:],
        "decision_form": ConflictDecisionForm(can_waive=sees_restricted(request.membership)),
        "status_form": WalkInStatusForm(initial={"status": walk_in.status, "consultation_at": walk_in.consultation_at}),
        "appointment_form": _appointment_form(walk_in),
    }
    return render(request, "clients/walk_in_detail.html", context)


def _appointment_form(walk_in) -> WalkInAppointmentForm | None:
    """None for a walk-in whose status allows no appointment (services.walk_in_set_appointment)."""
    if walk_in.status in services.NO_APPOINTMENT_STATUSES:
        return None
    initial = {"consultation_at": walk_in.consultation_at, "consultation_with": walk_in.consultation_with}
    return WalkInAppointmentForm(initial=initial, prefix=WalkInAppointmentForm.PREFIX)


@role_required(*CLIENT_ROLES)
def walk_in_edit(request, pk: int):
    walk_in = selectors.walk_in_get(actor=request.user, pk=pk)
    # The form validates into a copy of its own; the service compares the stored values with the new ones.
    form = WalkInForm(request.POST or None, instance=selectors.walk_in_get(actor=request.user, pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.walk_in_update(actor=request.user, walk_in=walk_in, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes were saved."))
            return redirect("clients:walk-in-detail", pk=pk)
    return render(request, "clients/walk_in_form.html", {"form": form, "walk_in": walk_in})


@require_POST
@role_required(*CLIENT_ROLES)
def walk_in_status(request, pk: int):
    walk_in = selectors.walk_in_get(actor=request.user, pk=pk)
    form = WalkInStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect("clients:walk-in-detail", pk=pk)
    try:
        services.walk_in_set_status(actor=request.user, walk_in=walk_in, request=request, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status changed to “%(status)s”.") % {"status": walk_in.get_status_display()})
    return redirect(_local_next(request) or reverse("clients:walk-in-detail", args=[pk]))


def _local_next(request) -> str:
    """The posted `next` if it is an address of this site, else "" (never another site's address,
    nor a bare word that redirect() would take for a URL name)."""
    return same_site_path(request.POST.get("next", "")) or ""


@require_POST
@role_required(*CLIENT_ROLES)
def walk_in_conflict_check(request, pk: int):
    walk_in = selectors.walk_in_get(actor=request.user, pk=pk)
    try:
        services.conflict_check_run(actor=request.user, walk_in=walk_in, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("clients:walk-in-detail", args=[pk]) + "#conflict-check")


@require_POST
@role_required(*CLIENT_ROLES)
def walk_in_accept(request, pk: int):
    walk_in = selectors.walk_in_get(actor=request.user, pk=pk)
    try:
        client = services.walk_in_accept(actor=request.user, walk_in=walk_in, request=request)
    except services.DuplicateANumberError as exc:
        messages.error(
            request, _("A client with this A-number already exists: %(name)s.") % {"name": exc.existing.full_name}
        )
        return redirect("clients:client-detail", pk=exc.existing.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clients:walk-in-detail", pk=pk)
    messages.success(request, _("%(name)s is now a client. Open their case.") % {"name": client.full_name})
    return redirect("cases:case-open", client_pk=client.pk)


# Conflict checks


@role_required(*CLIENT_ROLES)
def conflict_check(request):
    """A conflict check not tied to a walk-in: for a co-respondent, a new family member, a referral."""
    form = ConflictQueryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.conflict_check_run(actor=request.user, query=form.cleaned_data, request=request)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("clients:conflict-check-detail", pk=check.pk)
    return render(request, "clients/conflict_check.html", {"form": form})


@role_required(*CLIENT_ROLES)
def conflict_check_detail(request, pk: int):
    check = selectors.conflict_check_get(actor=request.user, pk=pk)
    if check.walk_in_id:
        return redirect(reverse("clients:walk-in-detail", args=[check.walk_in_id]) + "#conflict-check")
    services.conflict_check_viewed(actor=request.user, check=check, request=request)
    context = {
        "check": check,
        "rows": selectors.conflict_rows(actor=request.user, check=check),
        "decision_form": ConflictDecisionForm(can_waive=sees_restricted(request.membership)),
    }
    return render(request, "clients/conflict_check_detail.html", context)


@require_POST
@role_required(*CLIENT_ROLES)
def conflict_check_decide(request, pk: int):
    check = selectors.conflict_check_get(actor=request.user, pk=pk)
    form = ConflictDecisionForm(request.POST, can_waive=sees_restricted(request.membership))
    if form.is_valid():
        try:
            services.conflict_check_decide(
                actor=request.user, check=check, decision=form.cleaned_data["decision"],
                note=form.cleaned_data["decision_note"], request=request,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The decision was recorded."))
    else:
        messages.error(request, _("Choose a decision."))
    if check.walk_in_id:
        return redirect(reverse("clients:walk-in-detail", args=[check.walk_in_id]) + "#conflict-check")
    return redirect("clients:conflict-check-detail", pk=pk)


# Clients


@role_required(*CLIENT_ROLES)
def client_list(request):
    query = request.GET.get("q", "").strip()
    after = _after(request)
    page = selectors.client_search(actor=request.user, query=query, after=after)
    context = {"query": query, "page": page, "is_first_page": after is None}
    return render(request, "clients/client_list.html", context)


def _after(request) -> tuple[str, int] | None:
    """The keyset of the page to show. A link edited by hand (a NUL byte, which PostgreSQL refuses
    in a string, or an id that is not plain digits, such as "²") shows the first page."""
    name, pk = request.GET.get("after_name"), request.GET.get("after_id", "")
    if name is None or "\x00" in name or not (pk.isascii() and pk.isdigit()):
        return None
    return name, int(pk)


@role_required(*CLIENT_ROLES)
def client_create(request):
    form = ClientForm(request.POST or None)
    address_form = OptionalAddressForm(request.POST or None, prefix="address")
    if request.method == "POST" and form.is_valid() and address_form.is_valid():
        address = None
        if address_form.has_address():
            address = address_form.address() | {"moved_in_on": address_form.cleaned_data["moved_on"]}
        try:
            client = services.client_create(
                actor=request.user, data=form.cleaned_data, address=address, request=request
            )
        except services.DuplicateANumberError as exc:
            return render(
                request,
                "clients/client_form.html",
                {"form": form, "address_form": address_form, "duplicate": exc.existing},
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": client.full_name})
            return redirect("clients:client-detail", pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "address_form": address_form})


@role_required(*CLIENT_ROLES)
def client_detail(request, pk: int):
    client = selectors.client_detail(actor=request.user, pk=pk)
    services.client_viewed(actor=request.user, client=client, request=request)
    context = {
        "client": client,
        "cases": cases_of_client(actor=request.user, client=client),
        "can_open_case": request.membership.role in OPEN_ROLES,
        "family": selectors.family_with_status(client, timezone.localdate()),
        "sees_restricted": sees_restricted(request.membership),
        "alias_form": AliasForm(),
    }
    return render(request, "clients/client_detail.html", context)


@role_required(*CLIENT_ROLES)
def client_edit(request, pk: int):
    client = selectors.client_get(actor=request.user, pk=pk)
    # The form validates into a copy of its own; the service compares the stored values with the new ones.
    form = ClientForm(request.POST or None, instance=selectors.client_get(actor=request.user, pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.client_update(actor=request.user, client=client, data=form.cleaned_data, request=request)
        except services.DuplicateANumberError as exc:
            return render(
                request, "clients/client_form.html", {"form": form, "client": client, "duplicate": exc.existing}
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Changes were saved."))
            return redirect("clients:client-detail", pk=pk)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


@role_required(*CLIENT_ROLES)
def client_move(request, pk: int):
    client = selectors.client_get(actor=request.user, pk=pk)
    form = AddressForm(request.POST or None, initial={"moved_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.client_move(
                actor=request.user,
                client=client,
                address=form.address(),
                moved_on=form.cleaned_data["moved_on"],
                request=request,
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The new address was saved; the old one stays in the history."))
            return redirect("clients:client-detail", pk=pk)
    return render(request, "clients/address_form.html", {"form": form, "client": client})


@require_POST
@role_required(*CLIENT_ROLES)
def alias_create(request, pk: int):
    client = selectors.client_get(actor=request.user, pk=pk)
    form = AliasForm(request.POST)
    if form.is_valid():
        services.alias_add(actor=request.user, client=client, request=request, **form.cleaned_data)
        messages.success(request, _("The name was added."))
    else:
        messages.error(request, _("Write the other name to add it."))
    return redirect(reverse("clients:client-detail", args=[pk]) + "#names")


@require_POST
@role_required(*CLIENT_ROLES)
def alias_delete(request, pk: int, alias_pk: int):
    client = selectors.client_get(actor=request.user, pk=pk)
    alias = selectors.scoped_child(ClientAlias, client=client, pk=alias_pk)
    services.alias_remove(actor=request.user, alias=alias, request=request)
    messages.success(request, _("The name was removed."))
    return redirect(reverse("clients:client-detail", args=[pk]) + "#names")


@role_required(*CLIENT_ROLES)
def family_member_edit(request, pk: int, member_pk: int | None = None):
    client = selectors.client_get(actor=request.user, pk=pk)
    member = selectors.family_member_get(actor=request.user, client=client, pk=member_pk) if member_pk else None
    allow_abroad = sees_restricted(request.membership)
    instance = selectors.family_member_get(actor=request.user, client=client, pk=member_pk) if member_pk else None
    form = FamilyMemberForm(request.POST or None, instance=instance, allow_abroad=allow_abroad)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_member_save(
                actor=request.user, client=client, member=member, data=form.cleaned_data, request=request
            )
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The family member was saved."))
            return redirect(reverse("clients:client-detail", args=[pk]) + "#family")
    return render(request, "clients/family_member_form.html", {"form": form, "client": client, "member": member})


@require_POST
@role_required(*CLIENT_ROLES)
def family_member_delete(request, pk: int, member_pk: int):
    client = selectors.client_get(actor=request.user, pk=pk)
    member = selectors.family_member_get(actor=request.user, client=client, pk=member_pk)
    try:
        services.family_member_remove(actor=request.user, member=member, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The family member was removed."))
    return redirect(reverse("clients:client-detail", args=[pk]) + "#family")


@role_required(*RESTRICTED_ROLES)
def adverse_party_edit(request, pk: int, party_pk: int | None = None):
    client = selectors.client_get(actor=request.user, pk=pk)
    party = selectors.scoped_child(AdverseParty, client=client, pk=party_pk) if party_pk else None
    instance = selectors.scoped_child(AdverseParty, client=client, pk=party_pk) if party_pk else None
    form = AdversePartyForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.adverse_party_save(
            actor=request.user, client=client, party=party, data=form.cleaned_data, request=request
        )
        messages.success(request, _("The adverse party was saved."))
        return redirect(reverse("clients:client-detail", args=[pk]) + "#adverse")
    return render(request, "clients/adverse_party_form.html", {"form": form, "client": client, "party": party})


@require_POST
@role_required(*RESTRICTED_ROLES)
def adverse_party_delete(request, pk: int, party_pk: int):
    client = selectors.client_get(actor=request.user, pk=pk)
    party = selectors.scoped_child(AdverseParty, client=client, pk=party_pk)
    services.adverse_party_remove(actor=request.user, party=party, request=request)
    messages.success(request, _("The adverse party was removed."))
    return redirect(reverse("clients:client-detail", args=[pk]) + "#adverse")

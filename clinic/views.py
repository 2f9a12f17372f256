from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from clinic import dashboard as clinic_dashboard
from clinic import selectors, services
from clinic.dashboard_counts import recount_dashboard
from clinic.dashboard_forms import DashboardFilterForm
from clinic.dashboard_links import dashboard_charts, dashboard_links
from clinic.forms import ActivityFilterForm, ClinicSettingsForm, StaffCreateForm, StaffForm
from clinic.health import health_report
from clinic.navigation import START_PAGES
from clinic.permissions import Role, role_required
from clinic.redirects import list_url

ACTIVITY_PAGE_SIZE = 50


@require_GET
def home(request):
    if request.membership is None:
        if request.user.is_superuser:
            return redirect("admin:index")
        raise PermissionDenied(_("Your account is not linked to a clinic. Ask your clinic admin."))
    return redirect(START_PAGES[request.membership.role])


@role_required(Role.SUPERVISOR)
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, clinic=request.clinic)
    filters = form.filters()
    board = clinic_dashboard.dashboard(actor=request.user, filters=filters)
    context = {
        "form": form,
        "board": board,
        "links": dashboard_links(board, filters),
        "charts": dashboard_charts(board),
        "role_counts": _labelled_role_counts(selectors.staff_role_counts(actor=request.user)),
        "recent_events": selectors.audit_events(actor=request.user)[:8],
        "recount_minutes": settings.DASHBOARD_RECOUNT_SECONDS // 60,
    }
    return render(request, "clinic/dashboard.html", context)


@require_POST
@role_required(Role.SUPERVISOR)
def dashboard_recount(request):
    counted = recount_dashboard(request.clinic)
    seconds = counted.duration_ms / 1000
    messages.success(request, _("The figures were counted again (%(seconds).1f s).") % {"seconds": seconds})
    return redirect(list_url("clinic:dashboard", request.POST.get("query", "")))


def _labelled_role_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(Role(role).label, count) for role, count in counts.items()]


@role_required(Role.CLINIC_ADMIN)
def staff_list(request):
    return render(request, "clinic/staff_list.html", {"memberships": selectors.staff_list(actor=request.user)})


@role_required(Role.CLINIC_ADMIN)
def staff_create(request):
    form = StaffCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.staff_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(name)s was added. An invitation to choose a password was sent to %(email)s.")
                % {"name": membership.user, "email": membership.user.email},
            )
            return redirect("clinic:staff-list")
    return render(request, "clinic/staff_form.html", {"form": form})


@role_required(Role.CLINIC_ADMIN)
def staff_edit(request, pk: int):
    membership = selectors.staff_get(actor=request.user, pk=pk)
    user = membership.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email, "role": membership.role}
    form = StaffForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_update(actor=request.user, membership=membership, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Changes to %(name)s were saved.") % {"name": user})
            return redirect("clinic:staff-list")
    return render(request, "clinic/staff_form.html", {"form": form, "membership": membership})


@require_POST
@role_required(Role.CLINIC_ADMIN)
def staff_set_active(request, pk: int, active: bool):
    membership = selectors.staff_get(actor=request.user, pk=pk)
    try:
        services.staff_set_active(actor=request.user, membership=membership, active=active, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if active:
            messages.success(request, _("%(name)s can sign in again.") % {"name": membership.user})
        else:
            messages.success(request, _("%(name)s can no longer sign in.") % {"name": membership.user})
    return redirect("clinic:staff-list")


@require_POST
@role_required(Role.CLINIC_ADMIN)
def staff_invite(request, pk: int):
    membership = selectors.staff_get(actor=request.user, pk=pk)
    try:
        services.staff_invite_again(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": membership.user.email})
    return redirect("clinic:staff-list")


@role_required(Role.CLINIC_ADMIN)
def clinic_settings(request):
    clinic = request.clinic
    form = ClinicSettingsForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        services.clinic_update(actor=request.user, clinic=clinic, request=request, **form.cleaned_data)
        messages.success(request, _("Clinic settings were saved."))
        return redirect("clinic:settings")
    return render(request, "clinic/clinic_settings.html", {"form": form})


@role_required(Role.SUPERVISOR, Role.CLINIC_ADMIN)
def activity(request):
    """The clinic's activity log; with ?person= one person's activity, with ?record= the trail of
    one record (linked from the staff list, a case and a client)."""
    form = ActivityFilterForm(request.GET or None, clinic=request.clinic)
    filters = form.filters()
    events = selectors.audit_events(actor=request.user, **filters)
    page = Paginator(events, ACTIVITY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "person": filters.get("person"),
        "record": filters.get("record"),
        "record_label": page.object_list[0].object_label if filters.get("record") and page.object_list else "",
        "page_url": f"?{query.urlencode()}" if query else "",
    }
    return render(request, "clinic/activity.html", context)


@login_not_required
@require_GET
@never_cache
def healthz(request):
    healthy, report = health_report()
    return JsonResponse(report, status=200 if healthy else 503)


@login_not_required
def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)

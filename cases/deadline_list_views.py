"""The clinic-wide deadline list (supervisors): the list behind the dashboard's deadline figures."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from cases.models import CaseAssignment
from clinic.dashboard import Windows, deadline_window, deadlines_queryset
from clinic.dashboard_forms import DeadlineListFilterForm
from clinic.permissions import Role, role_required

PAGE_SIZE = 50


@role_required(Role.SUPERVISOR)
def deadline_list(request):
    form = DeadlineListFilterForm(request.GET or None, clinic=request.clinic)
    filters = form.filters()
    today = timezone.localdate()
    windows = Windows(today=today, start=filters.get("date_from"), end=filters.get("date_to"))
    deadlines = deadlines_queryset(request.clinic, filters).filter(deadline_window(filters.get("which", ""), windows))
    if windows.start:
        deadlines = deadlines.filter(due_on__gte=windows.start)
    if windows.end:
        deadlines = deadlines.filter(due_on__lte=windows.end)
    leads = Prefetch(
        "case__assignments",
        queryset=CaseAssignment.objects.filter(role=CaseAssignment.Role.LEAD).select_related("user"),
        to_attr="lead_assignments",
    )
    deadlines = deadlines.select_related("case", "rule_version__rule").prefetch_related(leads).order_by("due_on", "id")
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "today": today, "query": query.urlencode()}
    return render(request, "cases/deadline_list.html", context)

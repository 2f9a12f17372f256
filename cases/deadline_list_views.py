"""The clinic-wide deadline list (supervisors): the list behind the dashboard's deadline figures."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from clinic.dashboard import deadline_list as deadline_list_selector
from clinic.dashboard_forms import DeadlineListFilterForm
from clinic.permissions import Role, role_required

PAGE_SIZE = 50


@role_required(Role.SUPERVISOR)
def deadline_list(request):
    form = DeadlineListFilterForm(request.GET or None, clinic=request.clinic)
    today = timezone.localdate()
    deadlines = deadline_list_selector(actor=request.user, filters=form.filters(), today=today)
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "today": today, "query": query.urlencode()}
    return render(request, "cases/deadline_list.html", context)

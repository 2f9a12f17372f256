from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from clinic.permissions import Role, role_required


@role_required(Role.ATTORNEY, Role.SUPERVISOR)
def my_work(request):
    """The attorney's start page: what is due in the next seven days."""
    today = timezone.localdate()
    return render(request, "cases/my_work.html", {"today": today, "week_end": today + timedelta(days=6)})

from django.shortcuts import render
from django.utils import timezone

from clinic.permissions import Role, role_required


@role_required(Role.INTAKE, Role.SUPERVISOR)
def intake_desk(request):
    """The intake worker's start page: today's walk-ins (the walk-in log comes with the intake feature)."""
    return render(request, "clients/intake_desk.html", {"today": timezone.localdate()})

"""The supervisor's page of reminders that failed for good, each with a Retry button."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import reminders
from clinic.permissions import Role, role_required

PAGE_SIZE = 50


@role_required(Role.SUPERVISOR)
def reminder_failures(request):
    page = Paginator(reminders.failed_reminders(actor=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    digests = reminders.failed_digests(actor=request.user)[:PAGE_SIZE]
    return render(request, "cases/reminder_failures.html", {"page": page, "digests": digests})


@require_POST
@role_required(Role.SUPERVISOR)
def reminder_retry(request, pk: int):
    # Scoped to the supervisor's clinic: another clinic's reminder is a 404.
    reminder = get_object_or_404(reminders.failed_reminders(actor=request.user), pk=pk)
    try:
        reminders.reminder_retry(actor=request.user, reminder=reminder, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The reminder for %(number)s was queued again.") % {"number": reminder.deadline.case.number}
        )
    return redirect("cases:reminder-failures")

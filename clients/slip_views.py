"""A walk-in's return appointment and the slip they take home (clients.slip), as a page to print
and as a PDF. The same people as the walk-in's page, through the same scoped lookup; each printout
is audited."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clients import selectors, services, slip
from clients.access import CLIENT_ROLES
from clients.forms import WalkInAppointmentForm
from clinic.formerrors import add_service_error
from clinic.permissions import role_required
from clinic.printouts import PRINT_LANGUAGES, pdf_attachment, printout_language, printout_pdf, private


@role_required(*CLIENT_ROLES)
def walk_in_appointment(request, pk: int):
    """Sets or moves the appointment; the walk-in's page holds the same form, this page shows its errors."""
    walk_in = selectors.walk_in_get(actor=request.user, pk=pk)
    initial = {"consultation_at": walk_in.consultation_at, "consultation_with": walk_in.consultation_with}
    form = WalkInAppointmentForm(request.POST or None, initial=initial, prefix=WalkInAppointmentForm.PREFIX)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.walk_in_set_appointment(
                actor=request.user, walk_in=walk_in, at=data["consultation_at"],
                with_whom=data["consultation_with"], request=request,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The appointment was saved. Print the slip for the person."))
            return redirect(reverse("clients:walk-in-detail", args=[pk]) + "#appointment")
    return render(request, "clients/walk_in_appointment.html", {"form": form, "walk_in": walk_in})


def _staff_warnings(walk_in) -> list[str]:
    """Shown above the page, never printed."""
    if walk_in.consultation_at < timezone.now():
        return [_("This appointment has passed: set a new one before printing the slip.")]
    return []


def _no_appointment(pk: int, request):
    messages.warning(request, _("Set the appointment first: the slip shows its date and time."))
    return redirect(reverse("clients:walk-in-detail", args=[pk]) + "#appointment")


@require_GET
@role_required(*CLIENT_ROLES)
def walk_in_slip(request, pk: int, file_format: str = "page"):
    """The slip as a page to print, or (file_format "pdf") as a PDF to download."""
    walk_in = selectors.walk_in_get(actor=request.user, pk=pk)
    if walk_in.consultation_at is None:
        return _no_appointment(pk, request)
    language = printout_language(walk_in.preferred_language, request.GET.get("lang"))
    printout = slip.appointment_slip(walk_in, clinic=request.clinic, language=language)
    if file_format == "pdf":
        response = pdf_attachment(printout_pdf(printout), slip.slip_filename(walk_in, language))
    else:
        context = {
            "walk_in": walk_in,
            "printout": printout,
            "languages": PRINT_LANGUAGES,
            "pdf_url": reverse("clients:walk-in-slip-pdf", args=[pk]),
            "back_url": reverse("clients:walk-in-detail", args=[pk]) + "#appointment",
            "staff_warnings": _staff_warnings(walk_in),
        }
        response = private(render(request, "clients/walk_in_slip.html", context))
    services.walk_in_slip_printed(
        actor=request.user, walk_in=walk_in, language=language, file_format=file_format, request=request
    )
    return response

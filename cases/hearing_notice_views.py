"""The notice of a hearing given to the client (cases.hearing_notice), as a page to print and as a
PDF. Whoever may see the case's hearings may print it (intake staff too: clients ask the desk when
their hearing is); each printout is audited."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases import hearing_notice as notices
from cases import hearing_selectors as selectors
from cases import hearing_services as services
from cases.access import CASE_ROLES
from cases.models import Hearing
from clinic.permissions import role_required
from clinic.printouts import PRINT_LANGUAGES, pdf_attachment, printout_language, printout_pdf, private


def _language(request, hearing: Hearing) -> str:
    return printout_language(hearing.case.client.preferred_language, request.GET.get("lang"))


def _staff_warnings(hearing: Hearing) -> list[str]:
    """Shown above the page, never printed: a notice the client should not be given as it is."""
    if hearing.result == Hearing.Result.CANCELLED:
        return [_("This hearing was cancelled: do not give this notice to the client.")]
    if hearing.starts_at < timezone.now():
        return [_("This hearing is in the past.")]
    return []


@require_GET
@role_required(*CASE_ROLES)
def hearing_notice(request, pk: int, hearing_pk: int, file_format: str = "page"):
    """The notice as a page to print, or (file_format "pdf") as a PDF to download."""
    hearing = selectors.hearing_for_user(actor=request.user, case_pk=pk, pk=hearing_pk)
    language = _language(request, hearing)
    notice = notices.hearing_notice(hearing, client=hearing.case.client, clinic=request.clinic, language=language)
    if file_format == "pdf":
        response = pdf_attachment(printout_pdf(notice), notices.notice_filename(hearing, language))
    else:
        context = {
            "case": hearing.case,
            "hearing": hearing,
            "printout": notice,
            "languages": PRINT_LANGUAGES,
            "pdf_url": reverse("cases:hearing-notice-pdf", args=[pk, hearing_pk]),
            "back_url": f"{reverse('cases:hearings', args=[pk])}#hearing-{hearing_pk}",
            "staff_warnings": _staff_warnings(hearing),
        }
        response = private(render(request, "cases/hearing_notice.html", context))
    services.hearing_notice_printed(
        actor=request.user, hearing=hearing, language=language, file_format=file_format, request=request
    )
    return response

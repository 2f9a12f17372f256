"""The evidence tab of a case: the documents and their upload, the matrix of claim elements, the
exhibit list and its index PDF. Thin: evidence_selectors read (and check access), evidence_services
write. Attorneys and supervisors only; intake staff and clinic admins get 403 (cases.access)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import evidence_selectors as selectors
from cases import evidence_services as services
from cases import exhibits, uploads
from cases.context import case_page
from cases.evidence_forms import EvidenceEditForm, EvidenceUploadForm, ExhibitActionForm, link_choices, link_value
from cases.models import Case
from cases.services import case_viewed

TAB = "evidence"


def _render(request, case: Case, template: str, **extra) -> HttpResponse:
    return render(request, f"cases/{template}", case_page(request, case, TAB, **extra))


def _upload_form(case: Case, data=None, files=None) -> EvidenceUploadForm:
    claim, incidents = selectors.claim_and_incidents(case)
    return EvidenceUploadForm(data, files, link_choices=link_choices(claim, incidents))


def _list_page(request, case: Case, form: EvidenceUploadForm) -> HttpResponse:
    documents = selectors.evidence_list(case=case)
    return _render(request, case, "evidence_list.html", subtab="documents", documents=documents, form=form)


@require_GET
def evidence_list(request, pk: int):
    case = selectors.evidence_case(actor=request.user, pk=pk)
    case_viewed(actor=request.user, case=case, page="evidence", request=request)
    return _list_page(request, case, _upload_form(case))


@csrf_exempt
@require_POST
def evidence_upload(request, pk: int):
    """The size cap has to be in place before the body is read, and the CSRF check reads it: so
    access first, then the cap, then the CSRF check (Django's "modifying upload handlers" recipe)."""
    case = selectors.evidence_case(actor=request.user, pk=pk, write=True)
    cap = uploads.SizeCappedUploadHandler(request)
    request.upload_handlers.insert(0, cap)
    return _evidence_upload(request, case, cap)


@csrf_protect
def _evidence_upload(request, case: Case, cap: uploads.SizeCappedUploadHandler) -> HttpResponse:
    form = _upload_form(case, request.POST, request.FILES)
    if form.is_valid() and not cap.too_large:
        try:
            items = services.evidence_upload(
                actor=request.user, case=case, files=form.cleaned_data["files"], data=form.cleaned_data,
                links=form.cleaned_data["links"], request=request,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None if hasattr(error, "error_dict") else "files", error)
        else:
            count = len(items)
            messages.success(
                request,
                ngettext("%(count)d document uploaded.", "%(count)d documents uploaded.", count) % {"count": count},
            )
            return redirect("cases:evidence", pk=case.pk)
    if cap.too_large:
        # The cut-off files never reached the form: say why instead of "choose a file".
        form.errors.pop("files", None)
        for name in cap.too_large:
            form.add_error("files", uploads.too_large_message(name))
    return _list_page(request, case, form)


@require_http_methods(["GET", "POST"])
def evidence_edit(request, pk: int, evidence_pk: int):
    evidence = selectors.evidence_get(actor=request.user, case_pk=pk, pk=evidence_pk, write=True)
    claim, incidents = selectors.claim_and_incidents(evidence.case)
    current = list(evidence.links.select_related("incident"))
    initial = {name: getattr(evidence, name) for name in services.EDITABLE}
    initial["links"] = [link_value(link.element, link.incident_id) for link in current]
    posted = request.POST if request.method == "POST" else None
    form = EvidenceEditForm(posted, initial=initial, link_choices=link_choices(claim, incidents, current))
    if posted is not None and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.EDITABLE}
        try:
            services.evidence_update(
                actor=request.user, evidence=evidence, data=data, links=form.cleaned_data["links"], request=request
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document's details were saved."))
            return redirect("cases:evidence", pk=pk)
    return _render(request, evidence.case, "evidence_edit.html", subtab="documents", evidence=evidence, form=form)


@require_POST
def evidence_delete(request, pk: int, evidence_pk: int):
    evidence = selectors.evidence_get(actor=request.user, case_pk=pk, pk=evidence_pk, write=True)
    services.evidence_delete(actor=request.user, evidence=evidence, request=request)
    messages.success(request, _("The document was deleted."))
    return redirect("cases:evidence", pk=pk)


@require_GET
def evidence_download(request, pk: int, evidence_pk: int):
    evidence = selectors.evidence_get(actor=request.user, case_pk=pk, pk=evidence_pk)
    try:
        content = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file of this document is missing from storage.")) from error
    response = FileResponse(
        content,
        as_attachment=True,
        filename=uploads.download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )
    _private(response)
    services.evidence_record_download(actor=request.user, evidence=evidence, request=request)
    return response


def _private(response: HttpResponse) -> None:
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)


@require_GET
def evidence_matrix(request, pk: int):
    case = selectors.evidence_case(actor=request.user, pk=pk)
    case_viewed(actor=request.user, case=case, page="evidence matrix", request=request)
    return _render(request, case, "evidence_matrix.html", subtab="matrix", matrix=selectors.evidence_matrix(case=case))


@require_GET
def exhibit_list(request, pk: int):
    case = selectors.evidence_case(actor=request.user, pk=pk)
    case_viewed(actor=request.user, case=case, page="exhibits", request=request)
    listing, others = selectors.exhibit_documents(case=case)
    return _render(request, case, "evidence_exhibits.html", subtab="exhibits", exhibit_list=listing, others=others)


@require_POST
def exhibit_change(request, pk: int, evidence_pk: int):
    evidence = selectors.evidence_get(actor=request.user, case_pk=pk, pk=evidence_pk, write=True)
    form = ExhibitActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change of the exhibit list is not known."))
        return redirect("cases:exhibits", pk=pk)
    services.exhibit_change(actor=request.user, evidence=evidence, action=form.cleaned_data["action"], request=request)
    return redirect("cases:exhibits", pk=pk)


@require_GET
def exhibit_index(request, pk: int):
    case = selectors.evidence_case(actor=request.user, pk=pk)
    listing, _others = selectors.exhibit_documents(case=case)
    if not listing.exhibits:
        messages.warning(request, _("Add documents to the exhibit list first."))
        return redirect("cases:exhibits", pk=pk)
    pdf = exhibits.exhibit_index_pdf(case=case, exhibit_list=listing)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{case.number}-exhibit-index.pdf")
    _private(response)
    services.exhibit_index_record_export(
        actor=request.user, case=case, exhibit_count=len(listing.exhibits), request=request
    )
    return response

"""The floor of the HTTP load run (benchmarks/http_load.py): two pages that show nothing, served
beside the app under benchmarks/load_settings.py only, never in a deployment.

- an empty signed-in page: the session, the member, every middleware and the page's frame
  (navigation, bell, footer), as every page of the app pays them;
- the case overview's floor: that, plus what the overview must do before it shows anything: read
  the case for its attorney (the same selector and access check) and write the audit entry of the
  view (../shared/design.md: every view of a client or case is logged, 8 CFR 208.6).

What a page costs above these is its own; what they cost is the least any page (or an audited
case page) can cost on the machine. They read as the ceiling of requests/s for the budgeted URLs.
"""

from django.shortcuts import render
from django.urls import include, path

from cases import selectors, services
from cases.access import CASE_ROLES
from clinic.permissions import role_required


def empty_page(request):
    return render(request, "base.html")


@role_required(*CASE_ROLES)
def audited_case_page(request, pk: int):
    case = selectors.case_get(actor=request.user, pk=pk)
    services.case_viewed(actor=request.user, case=case, page="overview", request=request)
    return render(request, "base.html")


urlpatterns = [
    path("bench-floor/empty/", empty_page),
    path("bench-floor/case/<int:pk>/", audited_case_page),
    path("", include("clinic.urls")),
]

"""Thin views of the calendar feed: the page where a person manages their feed address, and the
feed itself, read by calendar programs without a session (the secret token is the key)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import feed_services as services
from cases import feeds as selectors
from cases.access import CASE_ROLES
from clinic.permissions import Role, require_role

COVERAGE = {
    Role.ATTORNEY: lambda: _("the hearings and open deadlines of the cases you are assigned to"),
    Role.SUPERVISOR: lambda: _("the hearings and open deadlines of every case of your clinic"),
    Role.INTAKE: lambda: _("the hearings of every case of your clinic"),
}


@require_GET
def feed_page(request):
    membership = require_role(request.user)
    feed = selectors.feed_of(actor=request.user)
    coverage = COVERAGE.get(membership.role)
    context = {
        "feed": feed,
        "feed_url": selectors.feed_url(feed, request) if feed else "",
        "coverage": coverage() if coverage else "",
        "can_subscribe": membership.role in CASE_ROLES,
        "days_back": selectors.DAYS_BACK,
        "with_deadlines": membership.role in selectors.DEADLINE_ROLES,
    }
    return render(request, "cases/calendar_feed.html", context)


@require_POST
def feed_issue(request):
    had_feed = selectors.feed_of(actor=request.user) is not None
    services.feed_issue(actor=request.user, request=request)
    if had_feed:
        messages.success(request, _("Your feed has a new address. The old one no longer works: subscribe again."))
    else:
        messages.success(request, _("Your calendar feed is ready. Copy its address into your calendar."))
    return redirect("cases:feed")


@require_POST
def feed_revoke(request):
    if services.feed_revoke(actor=request.user, request=request):
        messages.success(request, _("Your calendar feed was turned off. Its address no longer works."))
    else:
        messages.info(request, _("You had no calendar feed."))
    return redirect("cases:feed")


@login_not_required
@require_GET
def feed_ics(request, token: str):
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404
    calendar = selectors.build_calendar(owner.membership, base=selectors.site_url(request))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="amparo.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response

from functools import cache

from clinic.navigation import SEARCH_ROLES, items_for_role
from clinic.notifications import unread_count
from clinic.urls_fast import record_url


def _unread(request, membership) -> int:
    count = getattr(membership, "unread_notifications", None)
    return count if count is not None else unread_count(request.user)


def navigation(request) -> dict:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        # Each address reversed once per process (clinic.urls_fast), not on every page.
        {"label": item.label, "url": record_url(item.url_name), "icon": item.icon, "active": item.is_active(current)}
        for item in items_for_role(membership.role)
    ]
    return {
        "nav_items": items,
        "nav_search": membership.role in SEARCH_ROLES,
        # The bell's count: ClinicMiddleware loaded it with the membership (no query here);
        # otherwise one query, made only when a template shows it (templates call callables)
        # and at most once per response.
        "unread_notifications": cache(lambda: _unread(request, membership)),
        "nav_notifications_active": current.startswith("notifications:"),
    }

from functools import cache, lru_cache

from django.urls import get_script_prefix, reverse

from clinic.navigation import SEARCH_ROLES, items_for_role
from clinic.notifications import unread_count


def _unread(request, membership) -> int:
    count = getattr(membership, "unread_notifications", None)
    return count if count is not None else unread_count(request.user)


@lru_cache(maxsize=32)
def _role_items(role: str, script_prefix: str) -> tuple:
    """The role's items with their addresses, reversed once per process and script prefix (the
    prefix is part of every address, so it keys the cache), not on every page."""
    return tuple((item, reverse(item.url_name)) for item in items_for_role(role))


def navigation(request) -> dict:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"label": item.label, "url": url, "icon": item.icon, "active": item.is_active(current)}
        for item, url in _role_items(membership.role, get_script_prefix())
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

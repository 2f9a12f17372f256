from django.urls import reverse

from clinic.navigation import SEARCH_ROLES, items_for_role


def navigation(request) -> dict:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"nav_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"label": item.label, "url": reverse(item.url_name), "icon": item.icon, "active": item.is_active(current)}
        for item in items_for_role(membership.role)
    ]
    return {"nav_items": items, "nav_search": membership.role in SEARCH_ROLES}

"""The navigation and start page of each role. Later features add their entries here."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clinic.permissions import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    icon: str
    # The item is also highlighted on every view whose name starts with one of these.
    sections: tuple[str, ...] = ()

    def is_active(self, view_name: str) -> bool:
        return view_name == self.url_name or any(view_name.startswith(section) for section in self.sections)


NAV_ITEMS = (
    NavItem(
        _("Intake desk"),
        "clients:intake-desk",
        (Role.INTAKE, Role.SUPERVISOR),
        "door-open",
        sections=("clients:walk-in",),
    ),
    NavItem(_("My work"), "cases:my-work", (Role.ATTORNEY,), "briefcase"),
    NavItem(_("Dashboard"), "clinic:dashboard", (Role.SUPERVISOR,), "speedometer2"),
    NavItem(
        _("Calendar"),
        "cases:calendar",
        (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR),
        "calendar3",
        sections=("cases:calendar",),
    ),
    NavItem(
        _("Cases"),
        "cases:case-list",
        (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR),
        "folder2-open",
        sections=(
            "cases:case",
            "cases:relief",
            "cases:notes",
            "cases:deadline",
            "cases:claim",
            "cases:evidence",
            "cases:exhibit",
            "cases:hearing",
        ),
    ),
    NavItem(
        _("Clients"),
        "clients:client-list",
        (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR),
        "people",
        sections=("clients:client", "clients:import", "clients:alias", "clients:family", "clients:adverse"),
    ),
    NavItem(
        # In the bar, where Spanish needs a shorter word than the page's title.
        pgettext_lazy("navigation", "Conflict check"),
        "clients:conflict-check",
        (Role.INTAKE, Role.ATTORNEY),
        "shield-exclamation",
        sections=("clients:conflict",),
    ),
    NavItem(_("Staff"), "clinic:staff-list", (Role.CLINIC_ADMIN,), "people", sections=("clinic:staff-",)),
    NavItem(_("Clinic settings"), "clinic:settings", (Role.CLINIC_ADMIN,), "sliders"),
    NavItem(
        pgettext_lazy("navigation", "Activity log"),
        "clinic:activity",
        (Role.SUPERVISOR, Role.CLINIC_ADMIN),
        "journal-text",
    ),
)

START_PAGES = {
    Role.INTAKE: "clients:intake-desk",
    Role.ATTORNEY: "cases:my-work",
    Role.SUPERVISOR: "clinic:dashboard",
    Role.CLINIC_ADMIN: "clinic:staff-list",
}


# Roles that get the client search box in the navigation bar.
SEARCH_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)


def items_for_role(role: str) -> list[NavItem]:
    return [item for item in NAV_ITEMS if role in item.roles]

"""The navigation and start page of each role. Later features add their entries here."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from clinic.permissions import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]
    icon: str
    # The item is highlighted on every view whose name starts with this (default: url_name).
    section: str = ""

    def is_active(self, view_name: str) -> bool:
        return bool(view_name) and view_name.startswith(self.section or self.url_name)


NAV_ITEMS = (
    NavItem(_("Intake desk"), "clients:intake-desk", (Role.INTAKE,), "door-open"),
    NavItem(_("My work"), "cases:my-work", (Role.ATTORNEY,), "briefcase"),
    NavItem(_("Dashboard"), "clinic:dashboard", (Role.SUPERVISOR,), "speedometer2"),
    NavItem(_("Staff"), "clinic:staff-list", (Role.CLINIC_ADMIN,), "people", section="clinic:staff-"),
    NavItem(_("Clinic settings"), "clinic:settings", (Role.CLINIC_ADMIN,), "sliders"),
    NavItem(_("Activity log"), "clinic:activity", (Role.SUPERVISOR, Role.CLINIC_ADMIN), "journal-text"),
)

START_PAGES = {
    Role.INTAKE: "clients:intake-desk",
    Role.ATTORNEY: "cases:my-work",
    Role.SUPERVISOR: "clinic:dashboard",
    Role.CLINIC_ADMIN: "clinic:staff-list",
}


def items_for_role(role: str) -> list[NavItem]:
    return [item for item in NAV_ITEMS if role in item.roles]

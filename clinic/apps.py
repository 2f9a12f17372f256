from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = _("Clinics and staff")

    def ready(self) -> None:
        from clinic import signals  # noqa: F401  (connects the sign-in audit receivers)

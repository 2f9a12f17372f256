from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clinic.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo


class Command(BaseCommand):
    help = "Creates or refreshes the demo clinics and their staff accounts (development only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo runs only with DEBUG on: it creates accounts whose password is published.")
        clinics = seed_demo()
        for clinic in clinics.values():
            usernames = ", ".join(
                clinic.memberships.values_list("user__username", flat=True).order_by("user__username")
            )
            self.stdout.write(f"{clinic.name}: {usernames}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo password is '{DEMO_PASSWORD}'."))
        self.stdout.write(
            f"supervisor and clinicadmin also need a two-factor code: add the key {DEMO_TOTP_SECRET} to an "
            "authenticator app, or run `python manage.py demo_code` for the current code."
        )

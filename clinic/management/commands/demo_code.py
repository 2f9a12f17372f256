import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from clinic.demo import DEMO_TOTP_SECRET, demo_totp_key


class Command(BaseCommand):
    help = (
        "Prints the current two-factor code of the demo supervisor and clinic admin (their published "
        "demo key), for a demo without a phone. Development only."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code runs only with DEBUG on, like seed_demo.")
        totp = TOTP(bytes.fromhex(demo_totp_key()))
        totp.time = time.time()
        left = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"Demo key {DEMO_TOTP_SECRET}; this code changes in {left} s.")

"""Demo data (design.md, "Stable interfaces"): two clinics and one account per role.

Idempotent: running it again leaves the same data. Later features add their records here.
All names are invented.
"""

from base64 import b32decode
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Clinic, Membership
from clinic.two_factor import two_factor_required

DEMO_PASSWORD = "clinic-demo"
# The demo supervisor and clinic admin must sign in with two-factor codes, as everywhere else
# (clinic/two_factor.py): their authenticator is set up with this published key. Add it to any
# authenticator app, or print the current code with `python manage.py demo_code`.
DEMO_TOTP_SECRET = "AMPARODEMO2FASECRETNOTFORREALUSE"
Role = Membership.Role


@dataclass(frozen=True)
class DemoStaff:
    username: str
    first_name: str
    last_name: str
    role: str


@dataclass(frozen=True)
class DemoClinic:
    slug: str
    name: str
    time_zone: str
    case_prefix: str
    staff: tuple[DemoStaff, ...]


DEMO_CLINICS = (
    DemoClinic(
        slug="las-americas-demo",
        name="Las Americas Immigrant Advocacy Center (demo)",
        time_zone="America/Denver",
        case_prefix="LA",
        staff=(
            DemoStaff("intake", "Rosa", "Delgado", Role.INTAKE),
            DemoStaff("attorney", "Marisol", "Vega", Role.ATTORNEY),
            DemoStaff("supervisor", "Elena", "Ruiz", Role.SUPERVISOR),
            DemoStaff("clinicadmin", "Tomás", "Aguirre", Role.CLINIC_ADMIN),
        ),
    ),
    DemoClinic(
        slug="border-rights-demo",
        name="Border Rights Clinic (demo)",
        time_zone="America/Chicago",
        case_prefix="BR",
        staff=(DemoStaff("attorney2", "Grace", "Whitfield", Role.ATTORNEY),),
    ),
)


def seed_demo() -> dict[str, Clinic]:
    with transaction.atomic():
        clinics = _seed_records()
    # Evidence uploads commit their files and rows themselves, outside the transaction above.
    from cases.demo import seed_evidence

    seed_evidence(clinics)
    from clinic.dashboard_counts import recount_all_dashboards

    recount_all_dashboards()  # the supervisor dashboard shows the demo data at once
    return clinics


def _seed_records() -> dict[str, Clinic]:
    clinics = {}
    for spec in DEMO_CLINICS:
        clinic, _ = Clinic.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "time_zone": spec.time_zone, "case_prefix": spec.case_prefix}
        )
        for person in spec.staff:
            _seed_staff(clinic, person)
        clinics[spec.slug] = clinic
    from cases.demo import seed_cases
    from clients.demo import seed_clients

    seed_clients(clinics)
    seed_cases(clinics)
    return clinics


def _seed_staff(clinic: Clinic, person: DemoStaff) -> None:
    user, _ = get_user_model().objects.update_or_create(
        username=person.username,
        defaults={
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": f"{person.username}@{clinic.slug}.example.org",
            "is_active": True,
        },
    )
    # Only when it differs: a new hash would sign out anyone using the demo right now.
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"clinic": clinic, "role": person.role})
    if two_factor_required(membership):
        _seed_demo_authenticator(user)


def demo_totp_key() -> str:
    """DEMO_TOTP_SECRET as django-otp stores a key (hex)."""
    return b32decode(DEMO_TOTP_SECRET).hex()


def _seed_demo_authenticator(user) -> None:
    # The same key on every run; the device's last used step and throttle stay as they are.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    TOTPDevice.objects.update_or_create(
        user=user, confirmed=True, defaults={"name": "Demo authenticator", "key": demo_totp_key()}
    )

"""Demo data (design.md, "Stable interfaces"): two clinics and one account per role.

Idempotent: running it again leaves the same data. Later features add their records here.
All names are invented.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from clinic.models import Clinic, Membership

DEMO_PASSWORD = "clinic-demo"
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
    Membership.objects.update_or_create(user=user, defaults={"clinic": clinic, "role": person.role})

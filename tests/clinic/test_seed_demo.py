import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from clinic.demo import DEMO_PASSWORD
from clinic.models import Clinic, Membership

Role = Membership.Role
EXPECTED = {
    "intake": ("las-americas-demo", Role.INTAKE),
    "attorney": ("las-americas-demo", Role.ATTORNEY),
    "supervisor": ("las-americas-demo", Role.SUPERVISOR),
    "clinicadmin": ("las-americas-demo", Role.CLINIC_ADMIN),
    "attorney2": ("border-rights-demo", Role.ATTORNEY),
}


def test_it_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Clinic.objects.exists()


def test_it_creates_the_demo_clinics_and_users_and_is_idempotent(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert dict(Clinic.objects.values_list("slug", "name")) == {
        "las-americas-demo": "Las Americas Immigrant Advocacy Center (demo)",
        "border-rights-demo": "Border Rights Clinic (demo)",
    }
    assert str(Clinic.objects.get(slug="las-americas-demo").time_zone) == "America/Denver"
    memberships = Membership.objects.select_related("user", "clinic")
    assert {m.user.username: (m.clinic.slug, m.role) for m in memberships} == EXPECTED
    assert get_user_model().objects.count() == len(EXPECTED)
    for username in EXPECTED:
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("logout"))

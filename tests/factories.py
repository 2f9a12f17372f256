import factory
from django.contrib.auth import get_user_model

from clinic.models import Clinic, Membership

TEST_PASSWORD = "correct-horse-battery"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Clinic {n}")
    slug = factory.Sequence(lambda n: f"test-clinic-{n}")
    time_zone = "America/Denver"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = Membership.Role.ATTORNEY


def staff_member(clinic: Clinic, role: str, **user_fields):
    """A user with a membership in `clinic`."""
    return MembershipFactory(clinic=clinic, role=role, user=UserFactory(**user_fields)).user

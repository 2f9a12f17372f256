import factory
from django.contrib.auth import get_user_model

from clients import name_index, names
from clients.models import AdverseParty, Client, ClientAlias, FamilyMember, WalkIn
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


# People of the clients app, each saved with its name in the search index, as the services save them.


class IndexedFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        name_index.index(record)
        return record


class ClientFactory(IndexedFactory):
    class Meta:
        model = Client

    clinic = factory.SubFactory(ClinicFactory)
    given_names = "José Luis"
    paternal_surname = "Hernández"
    maternal_surname = "García"
    sort_name = factory.LazyAttribute(lambda c: names.sort_key(c.given_names, c.paternal_surname, c.maternal_surname))


class ClientAliasFactory(IndexedFactory):
    class Meta:
        model = ClientAlias

    client = factory.SubFactory(ClientFactory)
    kind = ClientAlias.Kind.NICKNAME
    name = "Pepe Hernández"


class FamilyMemberFactory(IndexedFactory):
    class Meta:
        model = FamilyMember

    client = factory.SubFactory(ClientFactory)
    given_names = "Rosa María"
    paternal_surname = "López"
    maternal_surname = "Reyes"
    relationship = FamilyMember.Relationship.SPOUSE


class AdversePartyFactory(IndexedFactory):
    class Meta:
        model = AdverseParty

    client = factory.SubFactory(ClientFactory)
    name = "Ramiro Salgado Treviño"
    role = AdverseParty.Role.CARTEL


class WalkInFactory(IndexedFactory):
    class Meta:
        model = WalkIn

    clinic = factory.SubFactory(ClinicFactory)
    given_names = "Marisol"
    paternal_surname = "Vega"
    maternal_surname = "Quintero"

"""factory_boy factories that build the world for tests, through the services where state matters."""

import datetime as dt

import factory
from django.utils import timezone

from registration.models import Origin, Register, Registrant, Route
from registration.services import register_entry_create
from regulator.models import User
from regulator.roles import grant_roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("a-Good-password-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            grant_roles(self, extracted)


class RegistrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registrant

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_between", start_date=dt.date(1960, 1, 1), end_date=dt.date(2000, 1, 1))
    gender = "female"
    nationality = "British"
    email = factory.Sequence(lambda n: f"registrant{n}@example.org")
    home_address = "1 Private Road, Nowhere"


def make_entry(
    *,
    given_name="Jane",
    family_name="Doe",
    town="Leeds",
    route=Route.UK,
    register=Register.FULL,
    origin=Origin.SWE,
    registered_on=None,
    actor=None,
    **registrant_fields,
):
    """A registrant entered on the register through the service, as an officer would."""
    registrant = RegistrantFactory(given_name=given_name, family_name=family_name, **registrant_fields)
    return register_entry_create(
        registrant=registrant,
        route=route,
        town=town,
        register=register,
        origin=origin,
        actor=actor,
        registered_on=registered_on or timezone.localdate(),
        qualification="BA (Hons) Social Work",
    )

import random
from typing import Any

import factory
from stdnum.vn import mst

from accounts.models import Organization, User
from accounts.provinces import Province


def valid_tax_code(seed: int) -> str:
    """A valid 10-digit tax code, different for every seed."""
    stem = f"{(seed * 7919 + 100_000_000) % 1_000_000_000:09d}"
    return stem + mst.calc_check_digit(stem)


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("tax_code",)

    kind = Organization.Kind.TRADER
    name = factory.Sequence(lambda n: f"Công ty TNHH Thử nghiệm {n}")
    tax_code = factory.Sequence(valid_tax_code)
    province = factory.LazyFunction(lambda: random.choice(Province.values))
    address = "1 Tràng Tiền, Hà Nội"
    email = factory.Sequence(lambda n: f"org{n}@example.test")

    class Params:
        trader = factory.Trait(kind=Organization.Kind.TRADER)
        broker = factory.Trait(kind=Organization.Kind.BROKER)
        customs = factory.Trait(kind=Organization.Kind.CUSTOMS)


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    organization = factory.SubFactory(OrganizationFactory)
    role = User.Role.STAFF

    class Params:
        admin = factory.Trait(role=User.Role.ADMIN)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or "correct horse battery staple")
        if create:
            obj.save()

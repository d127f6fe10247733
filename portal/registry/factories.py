"""factory_boy factories for tests and benchmarks: valid by construction."""

import datetime

import factory
from django.contrib.auth import get_user_model

from portal.registry import services
from portal.registry.identity import id_number_check_char
from portal.registry.models import Member, Organization


def make_id_number(sequence: int, *, male: bool = True, birth=datetime.date(1985, 6, 15)) -> str:
    order = (sequence % 500) * 2 + (1 if male else 0)
    # Spread beyond 500 people per birth date by moving the date.
    birth = birth + datetime.timedelta(days=sequence // 500)
    first17 = f"430124{birth:%Y%m%d}{order:03d}"
    return first17 + id_number_check_char(first17)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "Guiyan@2026")
        if create:
            self.save(update_fields=["password"])


class OrganizationFactory(factory.django.DjangoModelFactory):
    """Pass ``parent``; without it a county is created at the root."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"组织{n}")
    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    kind = Organization.Kind.BRANCH
    level = Organization.Level.VILLAGE
    city = ""

    @classmethod
    def _create(cls, model_class, parent=None, **kwargs):
        return services.organization_create(parent=parent, **kwargs)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    name = factory.Faker("name", locale="zh_CN")
    id_number = factory.Sequence(make_id_number)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    joined_party_on = datetime.date(2010, 7, 1)
    origin = None
    floating_status = Member.FloatingStatus.FLOATING
    floating_since = datetime.date(2020, 3, 1)

    @classmethod
    def _create(cls, model_class, **kwargs):
        return services.member_create(**kwargs)

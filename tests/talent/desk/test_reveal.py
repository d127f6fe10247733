"""A profile on the desk and the logged reveal of its contact: numbers masked everywhere but on
the page a reveal with a reason answers with."""

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from portal.registry.factories import UserFactory
from talent.desk.views import REVEAL_ACTION
from talent.services import profile_create

from .desk_support import ID_NUMBER, PHONE

# --- A profile and the reveal of its contact ----------------------------------------------


def test_the_profile_page_masks_the_numbers(client, desk_pool, people):
    client.force_login(people.recruiter_a)
    html = client.get(reverse("talent_desk:profile", args=[desk_pool.breeder.pk])).content.decode()
    assert PHONE not in html and ID_NUMBER not in html
    assert desk_pool.breeder.masked_phone in html and "鹏城生态农场" in html


def test_a_profile_outside_ones_area_is_not_found(client, desk_pool, people):
    client.force_login(people.recruiter_b)
    pk = desk_pool.breeder.pk
    assert client.get(reverse("talent_desk:profile", args=[pk])).status_code == 404
    reveal = client.post(reverse("talent_desk:reveal", args=[pk]), {"reason": "联系换届事宜"})
    assert reveal.status_code == 404
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()


@pytest.mark.parametrize("reason", ["", "   ", "看看"])
def test_a_reveal_needs_a_reason(client, desk_pool, people, reason):
    client.force_login(people.recruiter_a)
    response = client.post(
        reverse("talent_desk:reveal", args=[desk_pool.breeder.pk]), {"reason": reason}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert PHONE not in response.content.decode()
    assert not ModelLogEntry.objects.filter(action=REVEAL_ACTION).exists()


@pytest.mark.parametrize("name", ["recruiter_a", "county_admin"])
def test_a_reveal_with_a_reason_shows_the_numbers_once_and_is_logged(
    client, desk_pool, people, name
):
    user = getattr(people, name)
    client.force_login(user)
    url = reverse("talent_desk:reveal", args=[desk_pool.breeder.pk])
    response = client.post(url, {"reason": "请其回村参加两委换届座谈"})
    assert response.status_code == 200
    html = response.content.decode()
    assert PHONE in html and ID_NUMBER in html
    assert "no-store" in response["Cache-Control"]
    entry = ModelLogEntry.objects.get(action=REVEAL_ACTION)
    assert entry.user_id == user.pk and entry.object_id == str(desk_pool.breeder.pk)
    assert entry.data == {"reason": "请其回村参加两委换届座谈"}
    assert PHONE not in str(entry.data) + entry.label and ID_NUMBER not in str(entry.data)
    # The page of the profile itself goes back to masked numbers.
    again = client.get(reverse("talent_desk:profile", args=[desk_pool.breeder.pk]))
    assert PHONE not in again.content.decode()
    assert client.get(url).status_code == 405


def test_a_member_profile_reveals_the_member_record_numbers(client, people, members, tree):
    from talent.services import consent_record

    profile = consent_record(
        profile=profile_create(member=members.a1, hometown_village=tree.village_a1)
    )
    client.force_login(people.recruiter_a)
    response = client.post(
        reverse("talent_desk:reveal", args=[profile.pk]), {"reason": "核实其返乡创业意向"}
    )
    assert members.a1.phone in response.content.decode()


def test_the_reveal_has_a_label_in_the_admin_logs(client, desk_pool, people):
    assert log_registry.get_action_label(REVEAL_ACTION) == gettext("Reveal contact")
    client.force_login(people.recruiter_a)
    client.post(
        reverse("talent_desk:reveal", args=[desk_pool.breeder.pk]), {"reason": "联系换届事宜"}
    )
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    assert report.status_code == 200
    assert gettext("Reveal contact") in report.content.decode()
    assert PHONE not in report.content.decode()

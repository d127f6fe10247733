"""seed_demo brings the built-in rules and township T01's own: a notice published in the
township's section reaches the secretaries of its villages, in their inbox."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.models import NoticePage, Notification, Rule, SectionPage
from portal.rules.defaults import DEFAULT_RULES
from portal.rules.demo import DEMO_RULE_TITLE

pytestmark = pytest.mark.usefixtures("media_in_tmp")


@pytest.fixture
def seeded(db):
    call_command("seed_demo", members=0, stdout=StringIO())


def test_the_demo_has_the_built_in_rules_and_the_townships(seeded):
    builtin = set(Rule.objects.exclude(builtin_key="").values_list("builtin_key", flat=True))
    assert builtin == {rule["builtin_key"] for rule in DEFAULT_RULES}
    assert Rule.objects.get(title=DEMO_RULE_TITLE).organization.code == "T01"


def test_a_notice_in_the_township_reaches_its_village_secretaries(
    seeded, django_capture_on_commit_callbacks
):
    users = get_user_model().objects
    secretary, township_admin = (
        users.get(username="secretary"),
        users.get(username="township_admin"),
    )
    section = SectionPage.objects.get(organization__code="T01")
    notice = NoticePage(title="关于开展主题党日活动的通知", slug="zhuti-dangri", body="<p>通知</p>")
    section.add_child(instance=notice)
    with django_capture_on_commit_callbacks(execute=True):
        notice.save_revision().publish()
    [told] = Notification.objects.filter(recipient=secretary, title__startswith="新通知")
    assert told.title == "新通知：关于开展主题党日活动的通知"
    assert told.url == notice.url
    assert not Notification.objects.filter(recipient=township_admin).exists()

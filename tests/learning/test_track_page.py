import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import StepProgress
from portal.registry.factories import UserFactory

from .quiz_helpers import complete_step, member_login, ordered_setup


@pytest.fixture
def setup(tree):
    return ordered_setup(tree.township_a)


def _states(html: str) -> list[tuple[str, str]]:
    return re.findall(r'id="step-(\d+)" data-state="(\w+)"', html)


def test_a_member_sees_the_steps_in_order_with_their_state(client, setup, members):
    steps = setup.steps
    member_login(client, members.a1)
    complete_step(members.a1, steps.material)
    StepProgress.objects.create(
        member=members.a1,
        step=steps.lecture,
        opened_at=timezone.now(),
        seconds_credited=60,
        required_seconds=108,
    )
    response = client.get(setup.track.url)
    assert response.status_code == 200
    html = response.content.decode()
    order = [steps.material, steps.lecture, steps.quiz, steps.reading, steps.offline]
    assert _states(html) == [
        (str(steps.material.pk), "done"),
        (str(steps.lecture.pk), "doing"),
        (str(steps.quiz.pk), "todo"),
        (str(steps.reading.pk), "todo"),
        (str(steps.offline.pk), "todo"),
    ]
    positions = [html.index(f'id="step-{step.pk}"') for step in order]
    assert positions == sorted(positions)
    assert "55%" in html  # 60 of 108 seconds
    assert steps.quiz.get_url() in html
    assert "驻深圳临时党支部活动室" in html  # the offline session's place
    assert 'id="track-done"' not in html


def test_hours_points_and_an_overdue_deadline_are_shown(client, setup, members):
    setup.track.deadline = timezone.localdate() - datetime.timedelta(days=1)
    setup.track.save_revision().publish()
    member_login(client, members.a1)
    html = client.get(setup.track.url).content.decode()
    assert 'class="overdue"' in html
    assert setup.track.deadline.strftime("%Y-%m-%d") in html
    assert "20" in html and "2" in html


def test_an_editor_without_a_member_record_can_still_view_it(client, setup):
    client.force_login(UserFactory())
    response = client.get(setup.track.url)
    assert response.status_code == 200
    states = _states(response.content.decode())
    assert len(states) == 5 and {state for _pk, state in states} == {"todo"}
    assert 'class="step-state"' not in response.content.decode()


def test_the_admin_preview_renders_without_a_member(client, setup, tree, user_with_role):
    from portal.models import Role

    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:view_draft", args=[setup.track.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert setup.track.title in response.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, setup):
    response = client.get(setup.track.url)
    assert response.status_code == 302
    assert "login" in response["Location"]

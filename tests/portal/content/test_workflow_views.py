"""A reviewer who approves or sends back a page, from the dashboard or the page editor, is
told what happened, in Chinese."""

import pytest
from django.contrib.messages import get_messages

from portal.models import Role

from .publishing_support import (
    edit_url,
    page_form_data,
    sections_for,
    study_material,
    submit,
    workflow_action,
)


@pytest.fixture
def submitted(client, tree, user_with_role):
    sections = sections_for(tree)
    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    page = study_material(sections.a, owner=editor)
    client.force_login(editor)
    submit(client, page)
    client.logout()
    return page


@pytest.fixture
def reviewer(client, tree, user_with_role):
    user = user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a")
    client.force_login(user)
    return user


def shown(response) -> list[str]:
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def test_approving_from_the_dashboard_confirms_the_approval(client, submitted, reviewer):
    response = workflow_action(client, submitted, "approve")
    assert response.status_code == 302
    assert "页面“学习新党章”已审核通过。" in shown(response)
    submitted.refresh_from_db()
    assert submitted.live


def test_requesting_changes_from_the_dashboard_says_so(client, submitted, reviewer):
    response = workflow_action(client, submitted, "reject", comment="请补充出处")
    assert "已要求修改页面“学习新党章”。" in shown(response)


def test_the_confirmation_is_shown_on_the_page_the_reviewer_lands_on(client, submitted, reviewer):
    response = workflow_action(client, submitted, "approve")
    landing = client.get(response.url)
    assert "已审核通过" in landing.content.decode()


def test_approving_in_the_page_editor_confirms_the_approval(client, submitted, reviewer):
    data = page_form_data(
        submitted.title,
        submitted.slug,
        **{"action-workflow-action": "1", "workflow-action-name": "approve"},
    )
    response = client.post(edit_url(submitted), data)
    assert response.status_code == 302, response.content[:500]
    assert "页面“学习新党章”已审核通过。" in shown(response)


def test_a_refused_action_says_nothing_of_approval(client, submitted, tree, user_with_role):
    """An action that did not happen (a reviewer of another township) confirms nothing."""
    outsider = user_with_role(Role.REVIEWER, tree.township_b, "reviewer_b")
    client.force_login(outsider)
    response = workflow_action(client, submitted, "approve")
    assert not any("已审核通过" in text for text in shown(response))
    submitted.refresh_from_db()
    assert not submitted.live

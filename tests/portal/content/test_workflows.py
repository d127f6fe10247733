"""The section's approval task: a user holding both editor and reviewer on a section cannot
approve or send back a revision they submitted themselves; another reviewer can. Run end to
end through Wagtail's admin and workflow."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from wagtail.models import GroupApprovalTask, Task, TaskState, WorkflowTask

from portal.models import Role, SectionApprovalTask
from portal.registry import services

from .publishing_support import edit_url, sections_for, study_material, submit, workflow_action

MIGRATION = importlib.import_module(
    "portal.migrations.0010_section_approval_task_refuses_self_review"
)


@pytest.fixture
def sections(tree):
    return sections_for(tree)


@pytest.fixture
def both(tree, sections, user_with_role):
    """Editor and reviewer of township A at once."""
    user = user_with_role(Role.EDITOR, tree.township_a, "both")
    services.role_grant(user=user, role=Role.REVIEWER, organization=tree.township_a, actor=None)
    return user


@pytest.fixture
def submitted(client, sections, both):
    page = study_material(sections.a, owner=both)
    client.force_login(both)
    submit(client, page)
    page.refresh_from_db()
    return page


def test_sections_are_reviewed_by_a_section_approval_task(sections):
    task = sections.a.get_workflow().tasks.get().specific
    assert isinstance(task, SectionApprovalTask)


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_the_submitter_cannot_review_their_own_revision(client, both, submitted, action):
    assert submitted.current_workflow_state.requested_by == both
    response = workflow_action(client, submitted, action, comment="自己批准")
    assert response.status_code in (302, 403)
    submitted.refresh_from_db()
    assert not submitted.live and submitted.workflow_in_progress
    state = submitted.current_workflow_state.current_task_state
    assert state.status == TaskState.STATUS_IN_PROGRESS


def test_the_submitter_is_offered_no_review_action(client, both, submitted):
    html = client.get(edit_url(submitted)).content.decode()
    assert "workflow-action-approve" not in html and "data-workflow-action-url" not in html
    assert not TaskState.objects.reviewable_by(both).exists()


def test_the_task_itself_refuses_the_submitter(both, submitted):
    """Whatever calls the task (not only the admin's views) meets the same rule."""
    from django.core.exceptions import PermissionDenied

    state = submitted.current_workflow_state.current_task_state
    with pytest.raises(PermissionDenied):
        state.task.specific.on_action(state, both, "approve")


def test_another_reviewer_approves_the_submission(client, tree, both, submitted, user_with_role):
    reviewer = user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a")
    assert TaskState.objects.reviewable_by(reviewer).exists()
    client.force_login(reviewer)
    assert workflow_action(client, submitted, "approve").status_code == 302
    submitted.refresh_from_db()
    assert submitted.live and not submitted.workflow_in_progress


class _StatementsOnly:
    """What the migration asks of its schema editor: quoting and running a statement. A real
    schema editor cannot open inside a test's transaction on SQLite."""

    quote_name = staticmethod(connection.ops.quote_name)

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_the_migration_turns_existing_section_tasks_into_section_approval_tasks(sections):
    workflow = sections.b.get_workflow()
    old = GroupApprovalTask.objects.create(name="旧审核")
    old.groups.add(sections.b.reviewers)
    WorkflowTask.objects.create(workflow=workflow, task=old, sort_order=1)
    untouched = GroupApprovalTask.objects.create(name="与栏目无关")

    MIGRATION.section_tasks_refuse_self_review(apps, _StatementsOnly())

    converted = Task.objects.get(pk=old.pk).specific
    assert isinstance(converted, SectionApprovalTask)
    assert list(converted.groups.all()) == [sections.b.reviewers]
    assert type(Task.objects.get(pk=untouched.pk).specific) is GroupApprovalTask

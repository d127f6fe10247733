"""The action "add the page to a collection": the page is pinned to the collection, which
lists it first; twice changes nothing; an editor's draft of the collection is never
published by it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Revision

from portal.content.collection_pins import collection_pin
from portal.content.rule_actions import CollectionForm
from portal.content.selectors import collection_pages
from portal.models import CollectionPage, LostContact, NoticePage, Notification, Role
from portal.rules.engine import rules_event_handle
from portal.rules.registry import rule_definition_errors
from portal.rules.viewsets import preview_event, preview_recipients
from tests.portal.content.publishing_support import study_material

from .helpers import notify, rule_make, told


def _collection(section, *, publish=True, **fields) -> CollectionPage:
    collection = CollectionPage(title="专题学习", slug="zhuanti", live=publish, **fields)
    section.add_child(instance=collection)
    revision = collection.save_revision()
    if publish:
        revision.publish()
    collection.refresh_from_db()
    return collection


def _revisions(page) -> int:
    return Revision.objects.filter(object_id=str(page.pk)).count()


def _pins(page) -> list[int]:
    return [pin.page_id for pin in page.pinned_pages.all()]


def _adding_to(collection) -> dict:
    return {"key": "collection_add", "params": {"collection": collection.pk}}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return call


def test_a_published_page_is_pinned_and_listed_first_once(tree, sections, run, admin_user):
    # Its criteria take notices only: the pin alone brings the study material in, first.
    notices = _collection(sections.a)
    notices.page_types.set([ContentType.objects.get_for_model(NoticePage)])
    notices.save()
    study_material(sections.a, "旧资料", publish=True)
    notice = NoticePage(title="通知", slug="tongzhi", body="<p>正文</p>")
    sections.a.add_child(instance=notice)
    notice.save_revision().publish()
    rule = rule_make("page_published", organization=tree.county, actions=[_adding_to(notices)])
    page = run(study_material, sections.a, "新资料", publish=True)
    notices.refresh_from_db()
    assert _pins(notices) == [page.pk]
    assert [p.pk for p in collection_pages(notices, user=admin_user)] == [page.pk, notice.pk]
    # The material's publication, then the collection's own (which pins nothing): no error.
    assert [e.error for e in rule.executions.all()] == ["", ""]
    revisions = _revisions(notices)
    assert collection_pin(collection=notices, page=page) is False  # twice: nothing
    assert _revisions(notices) == revisions


def test_an_editors_draft_of_the_collection_stays_a_draft(tree, sections):
    collection = _collection(sections.a)
    draft = collection.get_latest_revision_as_object()
    draft.title = "专题学习（修改中）"
    draft.save_revision()
    page = study_material(sections.a, "新资料", publish=True)
    assert collection_pin(collection=collection, page=page) is True
    collection.refresh_from_db()
    # Live: the pin, and the old title; the draft: its title and the pin, still unpublished.
    assert collection.title == "专题学习" and _pins(collection) == [page.pk]
    assert collection.has_unpublished_changes
    latest = collection.get_latest_revision_as_object()
    assert latest.title == "专题学习（修改中）" and _pins(latest) == [page.pk]
    # Publishing the draft later keeps the pin.
    collection.get_latest_revision().publish()
    collection.refresh_from_db()
    assert collection.title == "专题学习（修改中）" and _pins(collection) == [page.pk]
    assert collection_pin(collection=collection, page=page) is False


def test_a_collection_never_published_gets_the_pin_in_its_draft_only(tree, sections):
    collection = _collection(sections.a, publish=False)
    page = study_material(sections.a, "新资料", publish=True)
    assert collection_pin(collection=collection, page=page) is True
    collection.refresh_from_db()
    assert not collection.live and _pins(collection) == []
    assert _pins(collection.get_latest_revision_as_object()) == [page.pk]
    assert collection_pin(collection=collection, page=page) is False


def test_pages_no_collection_lists_are_not_pinned(tree, sections):
    collection = _collection(sections.a)
    revisions = _revisions(collection)
    assert collection_pin(collection=collection, page=sections.a) is False
    assert collection_pin(collection=collection, page=collection) is False
    assert _revisions(collection) == revisions


def test_the_collection_is_chosen_in_the_actions_form(tree, sections):
    errors = rule_definition_errors(
        trigger="page_published",
        conditions=[],
        actions=[{"key": "collection_add", "params": {"collection": 999999}}],
    )
    label = str(CollectionForm.base_fields["collection"].label)
    [error] = errors["actions"]
    assert label in error
    assert not rule_definition_errors(
        trigger="page_published", conditions=[], actions=[_adding_to(_collection(sections.a))]
    )


def test_a_broken_rule_is_isolated(tree, sections, user_with_role, run):
    """A rule adding to a deleted collection, or on a trigger without a page, records its
    error; the rule beside it still runs."""
    editor = user_with_role(Role.EDITOR, tree.township_a, "editor_a")
    collection = _collection(sections.a)
    broken = rule_make("page_published", organization=tree.county, actions=[_adding_to(collection)])
    fine = rule_make("page_published", organization=tree.county, actions=[notify("editors")])
    collection.delete()
    page = run(study_material, sections.a, "新资料", publish=True)
    assert "collection" in broken.executions.get().error
    assert told(fine) == {editor}
    assert Notification.objects.filter(recipient=editor).count() == 1
    assert page.live


def test_on_a_trigger_without_a_page_the_rule_reports_it(tree, members, sections):
    collection = _collection(sections.a)
    rule = rule_make("member_lost_contact", actions=[_adding_to(collection)])
    flag = LostContact.objects.create(
        member=members.a1, since="2026-01-01", flagged_on="2026-06-01"
    )
    rules_event_handle(
        trigger="member_lost_contact", event_key="lost:1", context={"flag_id": flag.pk}
    )
    assert rule.executions.get().error


def test_the_admins_preview_of_a_rule_adding_to_a_collection_names_nobody(tree, sections):
    rule = rule_make("page_published", actions=[_adding_to(_collection(sections.a))])
    assert preview_recipients(rule, preview_event(rule, tree.county, None)) == ([], [])


def test_editors_see_the_pins_in_the_collections_editor(tree, sections, admin_client):
    collection = _collection(sections.a)
    page = study_material(sections.a, "新资料", publish=True)
    collection_pin(collection=collection, page=page)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[collection.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="pinned_pages-TOTAL_FORMS" value="1"' in html
    assert 'name="pinned_pages-0-page"' in html and f'value="{page.pk}"' in html

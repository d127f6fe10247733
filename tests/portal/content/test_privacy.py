"""Study materials and micro-lectures are members-only from the moment they are created; a
reviewer (who may publish) can open one to everybody through Wagtail's privacy setting."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.content.services import page_privacy_default
from portal.models import MicroLecturePage, NoticePage, Role, StudyMaterialPage
from portal.registry import services
from portal.registry.factories import MemberFactory

from .publishing_support import add_url, page_form_data, sections_for, study_material

LOGIN = PageViewRestriction.LOGIN


@pytest.fixture
def sections(tree):
    return sections_for(tree)


@pytest.fixture
def editor(tree, sections, user_with_role):
    return user_with_role(Role.EDITOR, tree.township_a, "editor_a")


@pytest.fixture
def reviewer(tree, sections, user_with_role):
    return user_with_role(Role.REVIEWER, tree.township_a, "reviewer_a")


@pytest.fixture
def member_user(tree):
    member = MemberFactory(origin=tree.village_a1)
    services.member_account_issue(member=member, issued_by=None)
    return member.user


def _restriction_types(page) -> list[str]:
    return list(page.view_restrictions.values_list("restriction_type", flat=True))


def test_a_study_material_made_in_the_admin_is_members_only(client, sections, editor):
    client.force_login(editor)
    client.post(add_url(sections.a), page_form_data("学习新党章", "dangzhang"))
    assert _restriction_types(StudyMaterialPage.objects.get(slug="dangzhang")) == [LOGIN]


def test_a_micro_lecture_made_in_the_admin_is_members_only(client, sections, editor):
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "微党课：初心",
            "slug": "chuxin",
            "summary": "",
            "speaker": "张老师",
            "speaker_title": "",
            "transcript": "",
            "study_hours": "0.5",
            "tags": "",
            "comments": inline_formset([]),
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["portal", "microlecturepage", sections.a.pk])
    assert client.post(url, data).status_code == 302
    assert _restriction_types(MicroLecturePage.objects.get(slug="chuxin")) == [LOGIN]


def test_a_notice_stays_public(client, sections, editor):
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "工作提示",
            "slug": "tishi",
            "body": '{"blocks":[{"key":"a","type":"unstyled","text":"按时报到","depth":0,'
            '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "effective_from": "2026-01-01",
            "expires_on": "",
            "comments": inline_formset([]),
        }
    )
    url = reverse("wagtailadmin_pages:add", args=["portal", "noticepage", sections.a.pk])
    assert client.post(url, data).status_code == 302
    assert _restriction_types(NoticePage.objects.get(slug="tishi")) == []


def test_no_second_restriction_under_a_restricted_section(sections):
    PageViewRestriction.objects.create(page=sections.a, restriction_type=LOGIN)
    page = study_material(sections.a)
    assert page_privacy_default(page=page) is None
    assert _restriction_types(page) == []


def test_running_the_default_twice_makes_one_restriction(sections):
    page = study_material(sections.a)
    page_privacy_default(page=page)
    page_privacy_default(page=page)
    assert _restriction_types(page) == [LOGIN]


@pytest.fixture
def private_material(sections):
    page = study_material(sections.a, publish=True)
    page_privacy_default(page=page)
    return page


def test_wagtail_sends_anonymous_visitors_to_the_site_login(client, private_material):
    assert resolve_url(settings.WAGTAIL_FRONTEND_LOGIN_URL) == reverse("portal:login")
    response = client.get(private_material.url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login") + "?next=")
    assert private_material.url in response["Location"]


def test_a_logged_in_member_reads_it(client, private_material, member_user):
    client.force_login(member_user)
    response = client.get(private_material.url)
    assert response.status_code == 200
    assert private_material.title in response.content.decode()


def test_an_editor_cannot_change_privacy(client, private_material, editor):
    """Opening a page to the public takes effect at once, outside moderation: it is a
    publishing decision, so Wagtail gives it to those who may publish."""
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:set_privacy", args=[private_material.pk])
    response = client.post(url, {"restriction_type": "none"})
    assert response.status_code in (302, 403)
    assert _restriction_types(private_material) == [LOGIN]


def test_a_reviewer_makes_it_public_through_the_privacy_setting(client, private_material, reviewer):
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:set_privacy", args=[private_material.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"restriction_type": "none"}).status_code == 200
    assert _restriction_types(private_material) == []

    client.logout()
    assert client.get(private_material.url).status_code == 200


def test_a_copy_is_members_only_too(client, sections, reviewer):
    public = study_material(sections.a, "公开的资料", publish=True)
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:copy", args=[public.pk])
    response = client.post(
        url,
        {"new_title": "副本", "new_slug": "fuben", "new_parent_page": sections.a.pk},
    )
    assert response.status_code == 302
    assert _restriction_types(StudyMaterialPage.objects.get(slug="fuben")) == [LOGIN]


def test_an_editor_asks_for_a_public_page_and_publication_makes_it_so(sections, reviewer):
    """The "open to the public" box goes through moderation: nothing changes until publication."""
    page = sections.a.add_child(
        instance=StudyMaterialPage(title="公开学习资料", slug="open-material", body=[])
    )
    page_privacy_default(page=page)
    page.open_to_public = True
    revision = page.save_revision()
    assert PageViewRestriction.objects.filter(page=page).exists()
    revision.publish(user=reviewer)
    assert not PageViewRestriction.objects.filter(page=page).exists()
    page.open_to_public = False
    page.save_revision().publish(user=reviewer)
    assert PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.LOGIN
    ).exists()

"""New pages get pinyin slugs, made on the server from the Chinese title, whether the editor
left the slug empty or Wagtail's editor copied the Chinese title into it."""

import pytest
from django.contrib.auth import get_user_model

from portal.models import StudyMaterialPage

from .publishing_support import add_url, page_form_data, sections_for


@pytest.fixture
def section(tree):
    return sections_for(tree).a


@pytest.fixture
def admin(client, db):
    user = get_user_model().objects.create_superuser("slug-admin", password="x")
    client.force_login(user)
    return client


def create(admin, section, title: str, slug: str) -> StudyMaterialPage:
    response = admin.post(add_url(section), page_form_data(title, slug))
    assert response.status_code == 302, response.context["form"].errors
    return StudyMaterialPage.objects.get(title=title, slug__isnull=False, depth=section.depth + 1)


@pytest.mark.parametrize("typed", ["", "春节集中学习"], ids=["empty", "copied-from-title"])
def test_a_new_page_with_a_chinese_title_gets_a_pinyin_slug(admin, section, typed):
    page = create(admin, section, "春节集中学习", typed)
    assert page.slug == "chunjie-jizhongxuexi"
    assert page.url_path.endswith("/chunjie-jizhongxuexi/")


def test_a_second_page_of_the_same_title_gets_a_numbered_slug(admin, section):
    create(admin, section, "春节集中学习", "")
    second = admin.post(add_url(section), page_form_data("春节集中学习", "春节集中学习"))
    assert second.status_code == 302
    children = StudyMaterialPage.objects.child_of(section).filter(title="春节集中学习")
    slugs = sorted(children.values_list("slug", flat=True))
    assert slugs == ["chunjie-jizhongxuexi", "chunjie-jizhongxuexi-2"]


def test_a_slug_typed_in_letters_is_kept(admin, section):
    page = create(admin, section, "春节集中学习", "spring-study")
    assert page.slug == "spring-study"


def test_pages_made_in_code_get_pinyin_slugs_too(section):
    page = StudyMaterialPage(title="党章必修课", summary="要点")
    section.add_child(instance=page)
    assert page.slug == "dangzhang-bixiuke"

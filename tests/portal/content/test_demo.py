"""The demo's CMS content: realistic pages a member can open right after seed_demo."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from portal.content.models.catalog import validate_isbn
from portal.content.search_selectors import page_search
from portal.content.selectors import collection_pages, notices_in_effect
from portal.models import (
    CollectionPage,
    MicroLecturePage,
    NoticePage,
    RedPackageBook,
    RedPackagePage,
    SectionPage,
    StudyMaterialPage,
)
from portal.parcels.demo import BOOKS
from portal.registry.demo import DEMO_MEMBER_PHONE
from search.services import index_queue_drain

pytestmark = pytest.mark.usefixtures("media_in_tmp")


@pytest.fixture
def seeded(db):
    call_command("seed_demo", members=0, stdout=StringIO())


def test_county_and_a_township_publish_tagged_study_materials(seeded):
    for code in ("QX", "T01"):
        section = SectionPage.objects.get(organization__code=code)
        materials = StudyMaterialPage.objects.child_of(section).live()
        assert materials.count() >= 2
        assert all(page.tags.exists() for page in materials)
    tags = set(Tag.objects.values_list("name", flat=True))
    assert {"党章", "二十大", "组织生活", "返乡创业"} <= tags


def test_some_materials_are_members_only_and_some_public(seeded):
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
    materials = set(StudyMaterialPage.objects.live().values_list("pk", flat=True))
    assert materials & restricted and materials - restricted


def test_one_notice_in_effect_and_one_expired(seeded):
    notices = NoticePage.objects.live()
    assert notices.count() == 2 and notices_in_effect(notices).count() == 1


def test_red_package_books_have_valid_isbns(seeded):
    package = RedPackagePage.objects.live().get()
    assert package.available > 0 and package.cover is not None
    books = list(RedPackageBook.objects.filter(package=package))
    assert [book.title for book in books] == [title for title, _publisher, _isbn in BOOKS]
    for book in books:
        validate_isbn(book.isbn)
        book.full_clean()


def test_monthly_collection_lists_this_months_materials(seeded):
    collection = CollectionPage.objects.live().get(title="本月学习")
    assert collection.get_parent().specific_class.__name__ == "HomePage"
    member = get_user_model().objects.get(username=DEMO_MEMBER_PHONE)
    for_member = list(collection_pages(collection, user=member))
    study_pages = StudyMaterialPage.objects.live().count() + MicroLecturePage.objects.live().count()
    assert len(for_member) == study_pages
    assert 0 < len(list(collection_pages(collection))) < len(for_member)


def test_the_demo_member_can_open_every_demo_page(seeded, client):
    client.force_login(get_user_model().objects.get(username=DEMO_MEMBER_PHONE))
    pages = [
        *StudyMaterialPage.objects.live(),
        *NoticePage.objects.live(),
        *RedPackagePage.objects.live(),
        RedPackagePage.objects.live().get().get_parent(),
        CollectionPage.objects.live().get(),
        SectionPage.objects.get(organization__code="QX"),
    ]
    for page in pages:
        assert client.get(page.url).status_code == 200, page.url


def test_a_question_in_plain_words_finds_the_demo_pages_that_answer_it(seeded):
    """外出务工期间如何参加组织生活: the pages holding three of its four words (外出, 务工,
    参加, 组织生活; 期间 and 如何 say how it is asked) are found, the one holding all four
    first. The page tagged 组织生活 meets three through the synonym list: BM25 ranks it with
    the other page of three, its tag weighing as a title does (docs/adr/0023-ranking.md)."""
    index_queue_drain()
    member = get_user_model().objects.get(username=DEMO_MEMBER_PHONE)

    def titles(text: str) -> list[str]:
        return [hit.page.title for hit in page_search(user=member, text=text).hits]

    tagged = titles("组织生活")
    assert "青溪镇“一月一课”学习安排" in tagged
    found = titles("外出务工期间如何参加组织生活")
    assert found[0] == "流动党员如何参加组织生活"
    assert "学习党章：流动党员的“必修课”" in found[1:3]
    assert set(found[1:]) <= {"学习党章：流动党员的“必修课”", "青溪镇“一月一课”学习安排"}

"""Page-tree rules and the member's view of every page type, on a phone-first site."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from portal.content.models.catalog import validate_isbn
from portal.content.selectors import latest_study_content
from portal.models import (
    CollectionPage,
    HomePage,
    Member,
    MicroLecturePage,
    NoticePage,
    RedPackageBook,
    RedPackageCatalogPage,
    RedPackagePage,
    RedPackageStock,
    SectionPage,
    StudyMaterialPage,
)

from .helpers import (
    material,
    publish,
    ready_video,
    sample_document,
    sample_image,
)

pytestmark = pytest.mark.usefixtures("media_in_tmp")

PAGE_TYPES = [
    HomePage,
    SectionPage,
    StudyMaterialPage,
    MicroLecturePage,
    NoticePage,
    CollectionPage,
    RedPackageCatalogPage,
    RedPackagePage,
]
# Every parent → child pair the tree allows; every other pair is refused.
ALLOWED = {
    Page: {HomePage},
    HomePage: {SectionPage, CollectionPage},
    SectionPage: {
        StudyMaterialPage,
        MicroLecturePage,
        NoticePage,
        CollectionPage,
        RedPackageCatalogPage,
    },
    RedPackageCatalogPage: {RedPackagePage},
    StudyMaterialPage: set(),
    MicroLecturePage: set(),
    NoticePage: set(),
    CollectionPage: set(),
    RedPackagePage: set(),
}


class TestPageTreeRules(WagtailPageTestCase):
    def test_allowed_children(self):
        """Each page type may be created exactly under the parents the tree names."""
        for parent, children in ALLOWED.items():
            for child in sorted(children, key=lambda model: model.__name__):
                with self.subTest(parent=parent.__name__, child=child.__name__):
                    self.assertCanCreateAt(parent, child)

    def test_refused_children(self):
        """Every other parent → child pair is refused, e.g. a study material on the home page."""
        for parent, children in ALLOWED.items():
            for child in PAGE_TYPES:
                if child not in children:
                    with self.subTest(parent=parent.__name__, child=child.__name__):
                        self.assertCanNotCreateAt(parent, child)

    def test_spot_checks(self):
        """The rules an editor would trip over first, spelled out."""
        self.assertCanNotCreateAt(HomePage, StudyMaterialPage)
        self.assertCanNotCreateAt(SectionPage, SectionPage)
        self.assertCanNotCreateAt(SectionPage, RedPackagePage)
        self.assertCanNotCreateAt(StudyMaterialPage, MicroLecturePage)
        self.assertCanCreateAt(RedPackageCatalogPage, RedPackagePage)


def _body(image, document, lecture):
    return [
        (
            "paragraph",
            "<h2>学习要点</h2><p>流动党员要按时参加组织生活。</p><ul><li>学党章</li></ul>",
        ),
        ("image", {"image": image, "alt_text": "党员学习现场", "decorative": False}),
        ("quote", {"text": "党员无论走到哪里，都不能忘记自己的党员身份。", "source": "学习摘录"}),
        ("document", {"document": document, "note": "原文下载"}),
        ("micro_lecture", {"lecture": lecture}),
    ]


@pytest.fixture
def lecture(sections):
    poster = sample_image("海报")
    video = ready_video(sections.county.organization, poster=poster)
    page = MicroLecturePage(
        title="三分钟读懂党章",
        summary="用三分钟讲清党章的总纲。",
        video=video,
        speaker="李明",
        speaker_title="县委党校讲师",
        transcript="同志们好。\n\n今天讲党章总纲。",
    )
    return publish(sections.county, page, tags=["党章"], private=True)


def _main(response) -> str:
    text = response.content.decode()
    return text[text.index("<main>") : text.index("</main>")]


def test_study_material_renders_every_block(member_client, sections, lecture):
    """Rich text, an image with srcset, a quotation, a document and the embedded lecture."""
    page = material("学习党章总纲", study_hours="1.5")
    page.body = _body(sample_image(), sample_document(), lecture)
    publish(sections.county, page, tags=["党章", "二十大"], private=True)
    response = member_client.get(page.url)
    assert response.status_code == 200
    main = _main(response)
    assert "<h2>学习要点</h2>" in main and "<li>学党章</li>" in main
    assert "<picture>" in main and 'type="image/webp"' in main
    assert re.search(r'srcset="[^"]*360w[^"]*720w', main)
    assert 'alt="党员学习现场"' in main
    assert '<blockquote class="quote">' in main and "<cite>学习摘录</cite>" in main
    assert "党章全文" in main and 'href="/documents/' in main
    assert f'href="{lecture.url}"' in main and "02:05" in main
    assert "1.5" in main
    assert 'href="/tags/%E5%85%9A%E7%AB%A0/"' in main  # /tags/党章/


def test_micro_lecture_page_has_phone_player(member_client, lecture):
    """An inline player with poster, MP4 source, duration, and a collapsed transcript."""
    main = _main(member_client.get(lecture.url))
    video = re.search(r"<video[^>]*>", main).group(0)
    assert all(word in video for word in ("controls", "playsinline", 'preload="metadata"'))
    assert re.search(r'poster="[^"]+\.fill-720x405\.format-jpeg', video)
    assert f'<source src="{lecture.video.file.url}" type="video/mp4" data-original>' in main
    assert "李明" in main and "县委党校讲师" in main and "02:05" in main
    assert re.search(r"<details[^>]*>\s*<summary>", main) and "今天讲党章总纲" in main


def test_micro_lecture_without_a_ready_video_says_so(member_client, sections):
    page = publish(sections.county, MicroLecturePage(title="待上传的微党课", speaker="王芳"))
    main = _main(member_client.get(page.url))
    assert "<video" not in main and 'class="note"' in main


def test_section_lists_children_by_kind_and_only_notices_in_effect(member_client, sections):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    current = NoticePage(title="本月主题党日安排", body="<p>9日</p>", effective_from=today - day)
    expired = NoticePage(
        title="上月去向更新提醒", body="<p>过期</p>", effective_from=today - 40 * day
    )
    expired.expires_on = today - 10 * day
    future = NoticePage(title="下季度评议通知", body="<p>未来</p>", effective_from=today + day)
    for notice in (current, expired, future):
        publish(sections.county, notice)
    publish(sections.county, material("学习党章"), private=True)
    catalog = publish(sections.county, RedPackageCatalogPage(title="红色包裹"))
    response = member_client.get(sections.county.url)
    assert response.status_code == 200
    main = _main(response)
    assert current.title in main
    assert expired.title not in main and future.title not in main
    assert "学习党章" in main and catalog.title in main
    assert main.index('id="notices"') < main.index('id="materials"')


def test_section_hides_members_only_pages_from_anonymous_visitors(client, sections):
    publish(sections.county, material("公开的学习资料"))
    publish(sections.county, material("党员专享资料"), private=True)
    main = _main(client.get(sections.county.url))
    assert "公开的学习资料" in main and "党员专享资料" not in main


def test_notice_page_shows_its_dates(member_client, sections):
    notice = NoticePage(
        title="关于按月更新去向的提示",
        body="<p>请于每月5日前更新。</p>",
        effective_from=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2026, 12, 31),
    )
    publish(sections.county, notice)
    main = _main(member_client.get(notice.url))
    assert "2026-01-01" in main and "2026-12-31" in main and "每月5日前" in main


@pytest.fixture
def red_package(sections):
    catalog = publish(sections.county, RedPackageCatalogPage(title="红色包裹", intro="送学上门"))
    package = RedPackagePage(title="二十大学习包", summary="三本书", cover=sample_image("封面"))
    package.books = [
        RedPackageBook(title="党章", publisher="人民出版社", isbn="978-7-01-025443-2"),
        RedPackageBook(title="党的二十大报告", publisher="人民出版社", isbn="9787010251233"),
    ]
    package.eligible_organizations = [sections.village]
    publish(catalog, package)
    RedPackageStock.objects.create(package=package, available=12)
    return catalog, package


def test_catalog_lists_packages_with_stock_and_eligibility_and_a_request_button(
    member_client, red_package
):
    """A member the package is for gets a button to request it: it leads to the form on the
    package's page."""
    catalog, package = red_package
    main = _main(member_client.get(catalog.url))
    assert package.title in main and "人民出版社" in main and "12" in main
    assert "甲一村党支部" in main
    assert re.search(r'<img[^>]+srcset="[^"]*fill-120x160', main)
    assert f'class="button request" href="{package.url}#request"' in main


def test_catalog_shows_no_request_button_to_visitors_the_package_is_not_for(
    client, member_client, red_package
):
    catalog, package = red_package
    RedPackagePage.objects.filter(pk=package.pk).update(
        eligibility=RedPackagePage.Eligibility.FLOATING
    )
    Member.objects.update(floating_status=Member.FloatingStatus.RETURNED)
    assert 'class="button request"' not in _main(member_client.get(catalog.url))
    client.logout()
    anonymous = _main(client.get(catalog.url))
    assert package.title in anonymous and 'class="button request"' not in anonymous


def test_red_package_page_lists_books_with_isbn(member_client, red_package):
    _catalog, package = red_package
    main = _main(member_client.get(package.url))
    assert "978-7-01-025443-2" in main and "9787010251233" in main and "党的二十大报告" in main


def test_home_page_lists_latest_content_the_visitor_may_see(client, member_client, sections):
    for number in range(7):
        publish(sections.county, material(f"学习资料{number}"), private=number == 6)
    home = member_client.get("/").content.decode()
    assert "学习资料6" in home and "学习资料1" not in home  # the newest five
    client.logout()
    anonymous = client.get("/").content.decode()
    assert "学习资料5" in anonymous and "学习资料6" not in anonymous


def test_home_page_keeps_its_newest_lists_until_content_changes(member_client, sections):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish(sections.county, material("资料甲"))
    assert "资料甲" in member_client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "资料甲" in member_client.get("/").content.decode()
    assert not [q for q in queries if "portal_studymaterialpage" in q["sql"]]
    publish(sections.county, material("资料乙"))
    assert "资料乙" in member_client.get("/").content.decode()


def test_latest_study_content_costs_one_query_each(sections, django_assert_num_queries):
    publish(sections.county, material("学习资料"))
    with django_assert_num_queries(2):
        latest = latest_study_content(None)
    assert [page.title for page in latest["latest_materials"]] == ["学习资料"]


def _isbn13(first12: str) -> str:
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12))
    return first12 + str((10 - total % 10) % 10)


@pytest.mark.parametrize("first12", ["978701025443", "978701012345", "978750354321"])
def test_isbn_with_its_check_digit_passes(first12):
    isbn = _isbn13(first12)
    validate_isbn(f"{isbn[:3]}-{isbn[3]}-{isbn[4:6]}-{isbn[6:12]}-{isbn[12]}")
    validate_isbn(isbn)


def test_isbn10_with_x_check_passes():
    validate_isbn("0-8044-2957-X")


@pytest.mark.parametrize(
    "bad", ["978-7-01-025443-4", "978-7-01-025443-5", "978701025443", "0-8044-2957-1", "abc"]
)
def test_isbn_with_a_wrong_check_digit_fails(bad):
    with pytest.raises(ValidationError):
        validate_isbn(bad)


def test_bad_isbn_names_the_field(sections):
    book = RedPackageBook(title="党章", publisher="人民出版社", isbn="978-7-01-025443-4")
    with pytest.raises(ValidationError) as error:
        book.full_clean(exclude=["package"])
    assert list(error.value.message_dict) == ["isbn"]


def test_a_republished_study_material_shows_its_new_body(client, db):
    """The body is cached per publication: a new publication is read at once."""
    from portal.models import Organization, StudyMaterialPage
    from portal.registry.factories import MemberFactory, OrganizationFactory, UserFactory

    county = OrganizationFactory(
        code="CACHE",
        kind=Organization.Kind.COMMITTEE,
        level=Organization.Level.COUNTY,
        publishes=True,
    )
    page = county.section.add_child(
        instance=StudyMaterialPage(
            title="缓存测试", slug="cache", body=[("paragraph", "<p>第一版</p>")]
        )
    )
    page.save_revision().publish()
    user = UserFactory(username="13911112222")
    MemberFactory(origin=county, phone="13911112222", user=user)
    client.force_login(user)
    assert "第一版" in client.get(page.url).content.decode()
    page.body = [("paragraph", "<p>第二版</p>")]
    page.save_revision().publish()
    text = client.get(page.url).content.decode()
    assert "第二版" in text and "第一版" not in text

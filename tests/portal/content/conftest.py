"""Fixtures of the site search tests: an anonymous browser and a published library."""

import pytest
from django.test import Client

from portal.models import (
    RedPackageBook,
    RedPackageCatalogPage,
    RedPackagePage,
)
from search.services import index_queue_drain

from .helpers import material, publish
from .search_support import lecture, notice


@pytest.fixture
def visitor():
    """An anonymous browser of its own: member_client logs in pytest-django's ``client``."""
    return Client()


@pytest.fixture
def library(sections):
    """Published content in two sections: public and members-only, of every indexed type."""
    county, township = sections.county, sections.township
    pages = {
        "charter": publish(
            county,
            material(
                "学习新党章",
                summary="逐条学习",
                body=[
                    ("paragraph", "<p>认真<strong>学习党章</strong>，遵守党的纪律。</p>"),
                    ("quote", {"text": "党员必须履行义务", "source": "中国共产党章程"}),
                ],
            ),
            tags=["基层党建"],
        ),
        "congress": publish(
            township,
            material("学习二十大精神", body=[("paragraph", "<p>深入领会二十大精神实质。</p>")]),
        ),
        "private": publish(
            county,
            material("流动党员专题", body=[("paragraph", "<p>外出务工党员的组织生活。</p>")]),
            private=True,
        ),
        "lecture": publish(
            township,
            lecture(
                "微党课：乡村振兴",
                speaker="吕思远",
                speaker_title="县委党校讲师",
                transcript="今天讲生态养殖和乡村振兴。",
            ),
            tags=["乡村振兴"],
            private=True,
        ),
        "contract": publish(county, notice("工作提示", "签订劳动合同前请咨询村委会。")),
        "teamwork": publish(county, notice("协作提示", "请配合同事完成乡村振兴工作。")),
    }
    catalog = publish(county, RedPackageCatalogPage(title="红色包裹"))
    package = RedPackagePage(title="学习包", summary="三本书")
    package.books = [
        RedPackageBook(title="乡村振兴读本", publisher="人民出版社", isbn="978-7-01-025443-2")
    ]
    pages["package"] = publish(catalog, package)
    index_queue_drain()
    return pages

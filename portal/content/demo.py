"""Demo CMS content: study materials, notices and a collection, written for the invented
county so the site has something to read on a phone (the micro-lecture is video's demo, the
red-package catalog parcels').

The texts are short summaries written for the demo, not official documents.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page

from portal.content.models import (
    CollectionPage,
    HomePage,
    MicroLecturePage,
    NoticePage,
    SectionPage,
    StudyMaterialPage,
)
from portal.registry.models import Organization

MATERIALS_COUNTY = [
    {
        "title": "学习党章：流动党员的“必修课”",
        "slug": "dangzhang-bixiuke",
        "summary": "党章是党员的根本遵循。离乡在外，更要把党章带在身边、记在心上。",
        "study_hours": "1.0",
        "tags": ["党章", "组织生活"],
        "public": True,
        "body": [
            (
                "paragraph",
                "<h2>为什么要常学党章</h2>"
                "<p>外出务工经商，工作地点变了，党员身份不变。党章规定了党员的义务和权利，"
                "也是衡量自己言行的一把尺子。建议每月抽出固定时间，通读一章，对照检查一次。</p>",
            ),
            (
                "quote",
                {
                    "text": "中国共产党党员是中国工人阶级的有共产主义觉悟的先锋战士。",
                    "source": "《中国共产党章程》第一章第二条",
                },
            ),
            (
                "paragraph",
                "<h2>学习建议</h2><ul><li>先读总纲，把握党的性质和宗旨；</li>"
                "<li>重点读第一章“党员”，逐条对照义务；</li>"
                "<li>在临时党支部组织生活中交流一条体会。</li></ul>",
            ),
        ],
    },
    {
        "title": "党的二十大精神学习要点（流动党员版）",
        "slug": "ershida-xuexi-yaodian",
        "summary": "用流动党员身边的事，讲清二十大报告里与就业、创业和乡村振兴相关的要点。",
        "study_hours": "2.0",
        "tags": ["二十大"],
        "public": False,
        "body": [
            (
                "paragraph",
                "<h2>读原文，抓要点</h2>"
                "<p>二十大报告提出以中国式现代化全面推进中华民族伟大复兴。对在外的流动党员来说，"
                "可以从三个方面入手：一是读懂高质量发展对本行业的要求；二是关注全面推进乡村振兴"
                "与家乡发展的联系；三是把学习成果落到岗位上，在流入地做出党员样子。</p>",
            ),
            (
                "paragraph",
                "<h2>怎样学</h2><ol><li>每周读报告原文一部分，做好学习笔记；</li>"
                "<li>参加流入地临时党支部的集中学习，计入学时；</li>"
                "<li>结合自身工作写一篇心得，交所在党支部。</li></ol>",
            ),
        ],
    },
    {
        "title": "流动党员如何参加组织生活",
        "slug": "liudong-dangyuan-zuzhi-shenghuo",
        "summary": "外出前领证、到达后报到、每月报去向、活动有记录：四步把组织生活过起来。",
        "study_hours": "0.5",
        "tags": ["组织生活"],
        "public": False,
        "body": [
            (
                "paragraph",
                "<h2>一、外出前：领取《流动党员活动证》</h2>"
                "<p>外出务工经商前，向所在党支部说明去向，领取《流动党员活动证》和党员联系卡。</p>"
                "<h2>二、到达后：主动报到</h2>"
                "<p>持活动证到流入地党组织或县驻外流动党员服务中心报到，"
                "编入临时党支部，参加“三会一课”和主题党日。</p>"
                "<h2>三、每月：更新去向</h2>"
                "<p>工作单位、住址或电话有变化，当月告知流出地党支部，做到“一月一更新”。</p>"
                "<h2>四、有记录：活动登记在联系卡上</h2>"
                "<p>每次参加活动，请流入地党支部书记在联系卡上签字确认，年底交流出地党支部备查。</p>",
            ),
            (
                "quote",
                {
                    "text": "离乡不离党，流动不流学，离家不离心。",
                    "source": "县委组织部流动党员工作口号",
                },
            ),
        ],
    },
]

MATERIALS_TOWNSHIP = [
    {
        "title": "返乡创业政策问答",
        "slug": "fanxiang-chuangye-wenda",
        "summary": "想回乡创业的流动党员最关心的五个问题：贷款、场地、培训、补贴和找谁办。",
        "study_hours": "0.5",
        "tags": ["返乡创业"],
        "public": True,
        "body": [
            (
                "paragraph",
                "<h2>问：回乡创业能申请贷款吗？</h2>"
                "<p>答：符合条件的返乡创业人员可申请创业担保贷款，由镇人社服务站初审后报县里审核。</p>"
                "<h2>问：有没有创业场地？</h2>"
                "<p>答：镇返乡创业园有标准厂房和电商服务点，首年租金按规定减免。</p>"
                "<h2>问：哪里参加培训？</h2>"
                "<p>答：县里每季度组织一期创业培训和村级后备干部培训，报名找村党支部书记。</p>"
                "<p>以上为学习资料摘要，具体条件以县、镇有关部门当年公布的政策为准。</p>",
            ),
        ],
    },
    {
        "title": "青溪镇“一月一课”学习安排",
        "slug": "yiyue-yike",
        "summary": "本镇流动党员每月学习一课、观看一片、参加一次实践活动的安排。",
        "study_hours": "0.5",
        "tags": ["组织生活", "党章"],
        "public": False,
        "body": [
            (
                "paragraph",
                "<p>每月第一周推送学习资料，第二周推送微党课，每月9日主题党日开展一次实践活动。"
                "在外党员可在流入地临时党支部参加，活动情况记入党员联系卡。</p>",
            ),
        ],
    },
]


MONTHLY_SLUG = "benyue-xuexi"


def demo_page_publish(parent: Page, page: Page, *, tags=()) -> Page:
    """Publish as a reviewer would; study pages follow their "open to the public" box."""
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    return page


def _materials(section: SectionPage, materials: list[dict]) -> None:
    for data in materials:
        fields = {k: v for k, v in data.items() if k not in ("tags", "public")}
        page = StudyMaterialPage(**fields, open_to_public=data["public"])
        demo_page_publish(section, page, tags=data["tags"])


def _notices(section: SectionPage, today: datetime.date) -> None:
    demo_page_publish(
        section,
        NoticePage(
            title="关于做好流动党员去向信息月度更新的提示",
            slug="quxiang-yuedu-gengxin",
            body="<p>请各村（社区）党组织在每月5日前完成流动党员去向信息更新，"
            "重点核实工作单位、居住地址和联系电话；联系不上的，及时报镇党委。</p>",
            effective_from=today - datetime.timedelta(days=5),
            expires_on=today + datetime.timedelta(days=25),
        ),
    )
    demo_page_publish(
        section,
        NoticePage(
            title="关于春节返乡流动党员集中学习的通知",
            slug="chunjie-jizhong-xuexi",
            body="<p>春节期间返乡的流动党员，请于正月初八到所在村党群服务中心参加集中学习。</p>",
            effective_from=today - datetime.timedelta(days=70),
            expires_on=today - datetime.timedelta(days=40),
        ),
    )


def _monthly_collection(today: datetime.date) -> None:
    home = HomePage.objects.get()
    if home.get_children().filter(slug=MONTHLY_SLUG).exists():
        return  # kept from an earlier demo whose sections were deleted
    collection = CollectionPage(
        title="本月学习",
        slug=MONTHLY_SLUG,
        search_description="本月新发布的学习资料和微党课。",
        published_from=today.replace(day=1),
        per_page=10,
    )
    models = ContentType.objects.get_for_models(StudyMaterialPage, MicroLecturePage)
    collection.page_types = list(models.values())
    demo_page_publish(home, collection)


def demo_content_build(*, county: Organization, township_code: str) -> None:
    """Publish the demo's pages in the county's section and one township's."""
    today = timezone.localdate()
    county_section = SectionPage.objects.get(organization=county)
    township_section = SectionPage.objects.get(organization__code=township_code)
    _materials(county_section, MATERIALS_COUNTY)
    _materials(township_section, MATERIALS_TOWNSHIP)
    _notices(county_section, today)
    _monthly_collection(today)

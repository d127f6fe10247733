"""Demo learning data, added when portal's demo is built (portal.signals.demo_built): in the
county's section a quiz, the monthly pack "一月一课一片一实践" (its template, and this month's
pack made from it and published), a reserve-cadre training track, the pack and the training
assigned to the whole county (a template is assigned to no one), and some progress for the
demo member so "my record" and the branch dashboard have something to show.

Nothing here loops over members: the assignments reach all of them by the organisation tree,
and only the demo member gets progress, so `seed_demo --members 100000` stays fast.
"""

import datetime

from django.utils import timezone
from wagtail.models import Page

from portal.content.services import page_privacy_default
from portal.models import (
    MicroLecturePage,
    RedPackagePage,
    SectionPage,
    StudyMaterialPage,
)

from ..models import QuizPage, StepProgress, TrackAssignment, TrackPage, TrackStep
from ..progress.services import step_complete
from .services import monthly_pack_create

QUIZ_SLUG = "dangzhang-ershida-ceshi"
TEMPLATE_SLUG = "yiyue-yike-yipian-yishijian"
RESERVE_SLUG = "houbei-ganbu-peixun"


def _single(prompt: str, answers: list[str], right: int, explanation: str = ""):
    choices = [{"text": text, "correct": i == right} for i, text in enumerate(answers)]
    return ("single", {"prompt": prompt, "choices": choices, "explanation": explanation})


QUESTIONS = [
    _single(
        "党章规定，党员必须履行的义务共有几项？",
        ["六项", "八项", "十项"],
        1,
        "党章第一章第三条规定了党员必须履行的八项义务。",
    ),
    _single(
        "党的二十大报告提出，以什么全面推进中华民族伟大复兴？",
        ["中国式现代化", "高速增长", "对外开放"],
        0,
        "报告提出以中国式现代化全面推进中华民族伟大复兴。",
    ),
    (
        "multiple",
        {
            "prompt": "流动党员可以通过哪些方式参加组织生活？",
            "choices": [
                {"text": "编入流入地临时党支部", "correct": True},
                {"text": "参加线上学习和主题党日", "correct": True},
                {"text": "外出期间不再参加", "correct": False},
            ],
            "explanation": "离乡不离党，在外也要过好组织生活。",
        },
    ),
    (
        "true_false",
        {
            "prompt": "党员每年应参加不少于32学时的集中学习。",
            "true": True,
            "explanation": "本县要求党员每年集中学习不少于32学时。",
        },
    ),
    _single(
        "工作单位、住址或电话有变化，流动党员应当何时告知流出地党支部？",
        ["年底一次", "当月", "回乡时"],
        1,
        "做到“一月一更新”。",
    ),
    (
        "true_false",
        {
            "prompt": "党的二十大报告提出全面推进乡村振兴。",
            "true": True,
            "explanation": "报告要求全面推进乡村振兴，坚持农业农村优先发展。",
        },
    ),
]


def _publish(section: SectionPage, page: Page) -> Page:
    section.add_child(instance=page)
    page.save_revision().publish()
    page_privacy_default(page=page)
    return page


STUDY_MODELS = {
    TrackStep.Kind.MATERIAL: StudyMaterialPage,
    TrackStep.Kind.LECTURE: MicroLecturePage,
}


def _study_step(section: SectionPage, kind: str, slug: str) -> TrackStep:
    """A step on one of portal's demo pages in the section, found by its slug."""
    page = STUDY_MODELS[kind].objects.child_of(section).get(slug=slug)
    return TrackStep(kind=kind, page=page)


def _offline_step(title: str, at: datetime.datetime, place: str, *, required=False) -> TrackStep:
    return TrackStep(
        kind=TrackStep.Kind.OFFLINE,
        title=title,
        session_starts_at=at,
        session_place=place,
        required=required,
    )


def _quiz(section: SectionPage) -> QuizPage:
    return _publish(
        section,
        QuizPage(
            title="党章和二十大精神知识测试",
            slug=QUIZ_SLUG,
            intro="六道题，检验本月学习效果。答对六成即为通过，可作答三次。",
            questions=QUESTIONS,
            pass_mark=60,
            attempt_limit=3,
        ),
    )


def _ordered(track: TrackPage) -> TrackPage:
    """Number the steps as listed: only the admin's form numbers them by itself."""
    for index, step in enumerate(track.steps.all()):
        step.sort_order = index
    return track


def _session_day(today: datetime.date) -> datetime.datetime:
    """The 9th of the month, theme party day (主题党日), at 9 in the morning."""
    return timezone.make_aware(datetime.datetime(today.year, today.month, 9, 9, 0))


def _monthly_template(section: SectionPage, quiz: QuizPage, today) -> TrackPage:
    track = TrackPage(
        title="一月一课一片一实践",
        slug=TEMPLATE_SLUG,
        kind=TrackPage.Kind.MONTHLY_PACK,
        summary="每月学习一课、观看一部微党课、参加一次主题党日实践活动。",
        study_hours="2.0",
        points=20,
        is_template=True,
    )
    track.steps = [
        _study_step(section, TrackStep.Kind.MATERIAL, "dangzhang-bixiuke"),
        _study_step(section, TrackStep.Kind.LECTURE, "anyue-baogao-quxiang"),
        TrackStep(kind=TrackStep.Kind.QUIZ, page=quiz),
        _offline_step("主题党日实践活动", _session_day(today), "所在临时党支部或村党群服务中心"),
    ]
    return _publish(section, _ordered(track))


def _reserve_cadre(section: SectionPage, quiz: QuizPage, today) -> TrackPage:
    track = TrackPage(
        title="村级后备干部培训",
        slug=RESERVE_SLUG,
        kind=TrackPage.Kind.RESERVE_CADRE,
        summary="为有意返乡的流动党员开设：组织生活、二十大精神、乡村振兴政策和一次集中培训。",
        study_hours="8.0",
        points=40,
        deadline=datetime.date(today.year, 12, 31),
    )
    track.steps = [
        _study_step(section, TrackStep.Kind.MATERIAL, "liudong-dangyuan-zuzhi-shenghuo"),
        _study_step(section, TrackStep.Kind.MATERIAL, "ershida-xuexi-yaodian"),
        TrackStep(kind=TrackStep.Kind.QUIZ, page=quiz),
        _offline_step(
            "县委党校集中培训",
            timezone.now() - datetime.timedelta(days=60),
            "青溪县委党校",
            required=True,
        ),
    ]
    return _publish(section, _ordered(track))


def _progress(member, track: TrackPage, at: datetime.datetime, *, count: int | None = None):
    """The demo member completes the first ``count`` steps (all by default) at ``at``."""
    for step in list(track.steps.order_by("sort_order"))[:count]:
        progress, _created = StepProgress.objects.get_or_create(
            member=member, step=step, defaults={"opened_at": at}
        )
        step_complete(progress=progress, at=at)


def demo_learning_build(*, county, member) -> None:
    """Tracks, a quiz, assignments and the demo member's progress, once."""
    section = SectionPage.objects.get(organization=county)
    if section.get_children().filter(slug=TEMPLATE_SLUG).exists():
        return
    today = timezone.localdate()
    quiz = _quiz(section)
    template = _monthly_template(section, quiz, today)
    reserve = _reserve_cadre(section, quiz, today)
    pack = monthly_pack_create(template=template, year=today.year, month=today.month)
    for track in (pack, reserve):  # next month's pack takes this one's assignment
        TrackAssignment.objects.create(track=track, organization=county)
    pack.save_revision().publish()
    now = timezone.now()
    _progress(member, reserve, now - datetime.timedelta(days=45))
    _progress(member, pack, now - datetime.timedelta(hours=2), count=2)
    _red_package_reading(section)


# --- Red packages: reading the demo's package, assigned to whoever receives it ----------
RED_PACKAGE_SLUG = "ershida-hongse-baoguo"  # portal's demo package


def _red_package_reading(section: SectionPage) -> TrackPage | None:
    """A track with one reading step on the demo's red package. Not assigned to anyone:
    receiving the package assigns it (learning.tracks.services.red_package_tracks_assign)."""
    package = RedPackagePage.objects.filter(slug=RED_PACKAGE_SLUG).first()
    if package is None:
        return None
    track = TrackPage(
        title="红色包裹读书活动",
        slug="hongse-baoguo-dushu",
        kind=TrackPage.Kind.RED_PACKAGE,
        summary="收到红色包裹后，读完书中一章，写一篇读书心得。",
        study_hours="4.0",
        points=20,
    )
    track.steps = [TrackStep(kind=TrackStep.Kind.READING, page=package)]
    return _publish(section, _ordered(track))


def demo_built_receiver(sender, *, county, member, **kwargs) -> None:
    demo_learning_build(county=county, member=member)

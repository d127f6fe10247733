"""Builders for learning tests: a section with a study material, a micro-lecture, a quiz and
a red package, and a published track that steps through them."""

from types import SimpleNamespace

from django.utils import timezone

from learning.models import QuizPage, TrackAssignment, TrackPage, TrackStep
from portal.content.services import section_create
from portal.models import MicroLecturePage, RedPackageCatalogPage, RedPackagePage, RedPackageStock
from tests.portal.content.helpers import material, publish, ready_video

QUESTIONS = [
    (
        "single",
        {
            "prompt": "党章规定，党员必须履行的义务有几项？",
            "choices": [
                {"text": "六项", "correct": False},
                {"text": "八项", "correct": True},
                {"text": "十项", "correct": False},
            ],
            "explanation": "党章第三条规定了党员必须履行的八项义务。",
        },
    ),
    (
        "multiple",
        {
            "prompt": "流动党员可以通过哪些方式参加组织生活？",
            "choices": [
                {"text": "流入地临时党支部", "correct": True},
                {"text": "线上学习平台", "correct": True},
                {"text": "不参加", "correct": False},
            ],
            "explanation": "",
        },
    ),
    ("true_false", {"prompt": "流动党员每年应至少完成32学时集中学习。", "true": True}),
]


def quiz_page(title: str = "党章知识测试", **fields) -> QuizPage:
    fields.setdefault("questions", QUESTIONS)
    fields.setdefault("pass_mark", 60)
    fields.setdefault("attempt_limit", 3)
    return QuizPage(title=title, **fields)


def learning_setup(organization, *, video_duration: float = 120.0) -> SimpleNamespace:
    """Publish, in the organisation's section, one page of each kind a step can point to and
    a track with a step for each (the offline session elective), assigned to the
    organisation's subtree."""
    section = section_create(organization=organization)
    body = [("paragraph", "<p>" + "党" * 800 + "</p>")]
    study = publish(section, material("学习党章", body=body))
    video = ready_video(organization, duration=video_duration)
    lecture = publish(section, MicroLecturePage(title="微党课：初心", video=video))
    quiz = publish(section, quiz_page())
    catalog = publish(section, RedPackageCatalogPage(title="红色包裹"))
    package = publish(catalog, RedPackagePage(title="二十大学习包"))
    RedPackageStock.objects.create(package=package, available=10)
    track = TrackPage(title="十一月学习包", study_hours="2.0", points=20)
    track.steps = [
        TrackStep(kind=TrackStep.Kind.MATERIAL, page=study),
        TrackStep(kind=TrackStep.Kind.LECTURE, page=lecture),
        TrackStep(kind=TrackStep.Kind.QUIZ, page=quiz),
        TrackStep(kind=TrackStep.Kind.READING, page=package, required=False),
        TrackStep(
            kind=TrackStep.Kind.OFFLINE,
            title="主题党日集中学习",
            required=False,
            session_starts_at=timezone.now(),
            session_place="驻深圳临时党支部活动室",
        ),
    ]
    for position, step in enumerate(track.steps.all()):
        step.sort_order = position
    publish(section, track, private=True)
    TrackAssignment.objects.create(track=track, organization=organization)
    steps = list(track.steps.order_by("sort_order"))
    return SimpleNamespace(
        section=section,
        study=study,
        video=video,
        lecture=lecture,
        quiz=quiz,
        package=package,
        track=track,
        steps=SimpleNamespace(
            material=steps[0], lecture=steps[1], quiz=steps[2], reading=steps[3], offline=steps[4]
        ),
    )


def steps_by_kind(track) -> SimpleNamespace:
    """The track's steps by kind, whatever their order."""
    return SimpleNamespace(**{step.kind: step for step in track.steps.all()})

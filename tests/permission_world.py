"""The world the permission matrix runs in: the demo county (``seed_demo --members 0``), one
login per role, and for each kind of object one the demo's roles keep (in scope: the demo
member's, in branch T01-V01, township T01) and one they do not (out of scope: township T02's)."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils.timezone import now
from wagtail.documents import get_document_model
from wagtail.models import Site

from learning.models import (
    AnnualAssessment,
    AssessmentPolicy,
    CreditEntry,
    DeductionRule,
    PointsRule,
    QuarterlyPublication,
    TrackAssignment,
    TrackPage,
    TrackStep,
)
from learning.models import (
    Certificate as LearningCertificate,
)
from portal.ledger.jobs import job_create
from portal.management.commands.seed_demo import demo_build
from portal.meetings.documents import meeting_collection_ensure
from portal.meetings.services import meeting_close, meeting_plan
from portal.models import (
    ActivityCertificate,
    CareCase,
    ContactActivity,
    ContactCard,
    Liaison,
    LostContact,
    Meeting,
    Member,
    Organization,
    Pairing,
    RedPackagePage,
    RedPackageRequest,
    RedPackageStock,
    RoleAssignment,
    Rule,
    StockMovement,
    StudyMaterialTag,
    Talk,
    Transfer,
    Video,
    WhereaboutsReport,
)
from portal.registry.factories import MemberFactory, UserFactory
from search.models import Synonym
from talent.models import BaseSearch, SavedSearch, Shortlist, TalentProfile

OTHER_MEMBER_PHONE = "13900000077"

# The twelve roles of the matrix and the demo login that plays each (None: no login).
LOGINS = {
    "anonymous": None,
    "member": "13900000001",
    "other_member": OTHER_MEMBER_PHONE,
    "secretary": "secretary",
    "host_secretary": "host_secretary",
    "township_admin": "township_admin",
    "county_admin": "county_admin",
    "editor": "editor",
    "reviewer": "reviewer",
    "recruiter": "recruiter",
    "liaison": "liaison",
    "superuser": "admin",
}
ROLES = tuple(LOGINS)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    # kind → (in-scope pk, out-of-scope pk or None)
    objects: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)
    clients: dict = field(default_factory=dict)


def _first_pk(queryset):
    row = queryset.order_by("pk").first()
    return row.pk if row else None


def world_build() -> World:
    demo_build(members=0, seed=20260701)
    world = World()
    township_b = Organization.objects.get(code="T02")
    village_b = township_b.get_children().order_by("code").first()
    other_user = UserFactory(username=OTHER_MEMBER_PHONE)
    other = MemberFactory(
        name="乙镇党员", origin=village_b, phone=OTHER_MEMBER_PHONE, user=other_user
    )
    users = get_user_model().objects.in_bulk(
        [name for name in LOGINS.values() if name], field_name="username"
    )
    world.users = {role: users.get(name) if name else None for role, name in LOGINS.items()}
    member = Member.objects.get(phone="13900000001")
    t01 = Organization.objects.get(code="T01")
    objects = world.objects
    objects["member"] = (member.pk, other.pk)
    objects["organization"] = (
        Organization.objects.get(code="T01-V01").pk,
        village_b.pk,
    )
    objects["pairing"] = (
        _first_pk(Pairing.objects.filter(origin__path__startswith=t01.path)),
        _first_pk(Pairing.objects.exclude(origin__path__startswith=t01.path)),
    )
    secretary = world.users["secretary"]
    objects["role"] = (
        _first_pk(RoleAssignment.objects.filter(user=secretary)),
        _first_pk(RoleAssignment.objects.filter(user=world.users["county_admin"])),
    )
    objects["video"] = (_first_pk(Video.objects.all()), None)
    objects["site"] = (Site.objects.get(is_default_site=True).pk, None)
    objects["whereabouts"] = (_first_pk(WhereaboutsReport.objects.filter(member=member)), None)
    objects["certificate"] = (_first_pk(ActivityCertificate.objects.filter(member=member)), None)
    card = ContactCard.objects.filter(member=member).order_by("pk").first()
    objects["contact_card"] = (card.pk if card else None, None)
    activity = ContactActivity.objects.filter(card=card).order_by("pk").first() if card else None
    world.extra["contact_activity"] = activity.pk if activity else 0
    objects["parcel_request"] = (_first_pk(RedPackageRequest.objects.filter(member=member)), None)
    objects["stock"] = (_first_pk(RedPackageStock.objects.all()), None)
    objects["stock_movement"] = (_first_pk(StockMovement.objects.all()), None)
    objects["transfer"] = (_first_pk(Transfer.objects.all()), None)
    objects["lost_contact"] = (_first_pk(LostContact.objects.all()), None)
    objects["liaison"] = (_first_pk(Liaison.objects.all()), None)
    objects["talk"] = (_first_pk(Talk.objects.all()), None)
    objects["care_case"] = (_first_pk(CareCase.objects.all()), None)
    objects["assignment"] = (_first_pk(TrackAssignment.objects.all()), None)
    objects["credit"] = (
        _first_pk(CreditEntry.objects.filter(member=member)),
        None,
    )
    objects["talent_profile"] = (
        _first_pk(TalentProfile.objects.filter(member=member))
        or _first_pk(TalentProfile.objects.all()),
        None,
    )
    _step_extras_build(world)
    _code_extras_build(world, member)
    video = Video.objects.order_by("pk").first()
    world.extra["video_path"] = video.file.name if video else "videos/none.mp4"
    world.extra["own_organization"] = dict(
        RoleAssignment.objects.values_list("user__username", "organization")
    ) | {"admin": Organization.objects.get(code="QX").pk}
    _scoped_objects_build(world, member=member, other=other)
    world.extra["year"] = datetime.date.today().year
    _meetings_build(world, member=member, other=other)
    return world


def _meetings_build(world: World, *, member: Member, other: Member) -> None:
    """A meeting of each member's home branch: T01-V01's (in scope), T02's (out)."""
    starts = now() + datetime.timedelta(days=1)
    pks = []
    for who, planner in ((member, "secretary"), (other, "county_admin")):
        meeting = meeting_plan(
            user=world.users[planner],
            organization=who.origin,
            kind=Meeting.Kind.THEME_DAY,
            title="主题党日",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place="党员活动室",
        )
        pks.append(meeting.pk)
    world.objects["meeting"] = tuple(pks)
    world.extra["meeting_attendance"] = _pk_or_zero(Meeting.objects.get(pk=pks[0]).attendances)
    world.extra["meeting_id"] = pks[0]
    _closed_meeting_build(world, member=member)


def _closed_meeting_build(world: World, *, member: Member) -> None:
    """Yesterday's meeting of T01-V01, closed by its secretary with a document attached from
    the collection of meeting records."""
    starts = now() - datetime.timedelta(days=1)
    meeting = meeting_plan(
        user=world.users["secretary"],
        organization=member.origin,
        kind=Meeting.Kind.ASSEMBLY,
        title="党员大会",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="党员活动室",
    )
    document = get_document_model().objects.create(
        title="党员大会记录",
        file=ContentFile(b"minutes", "matrix-minutes.txt"),
        uploaded_by_user=world.users["secretary"],
        collection=meeting_collection_ensure(),
    )
    meeting_close(
        meeting=meeting, user=world.users["secretary"], statuses={}, attachments=[document]
    )
    world.extra["closed_meeting_id"] = meeting.pk
    world.extra["meeting_document_id"] = document.pk


def _scoped_objects_build(world: World, *, member: Member, other: Member) -> None:
    """Objects the demo has none of, one per side: the demo member's or branch T01-V01's (in
    scope) and the other member's or township T02's (out of scope)."""
    today = datetime.date.today()
    sides = []
    for who in (member, other):
        branch = who.origin
        sibling = branch.get_siblings().exclude(pk=branch.pk).order_by("code").first()
        sides.append(
            {
                "assessment": AnnualAssessment.objects.create(
                    member=who, year=today.year - 1, draft_grade="qualified", computed_at=now()
                ),
                "lost_contact": LostContact.objects.create(
                    member=who, since=today, flagged_on=today
                ),
                "transfer": Transfer.objects.create(
                    member=who, source=branch, destination=sibling, reason="工作调动"
                ),
                "points_rule": PointsRule.objects.create(
                    organization=branch, activity="track", points=1
                ),
                "deduction_rule": DeductionRule.objects.create(
                    organization=branch, kind="missed_session"
                ),
                "assessment_policy": AssessmentPolicy.objects.create(organization=branch),
                "rule": Rule.objects.create(
                    title="通知本支部书记",
                    trigger="page_published",
                    organization=branch,
                    actions=[
                        {
                            "key": "notify_role",
                            "params": {"recipients": "secretary", "title": "{title}"},
                        }
                    ],
                ),
                "publication": QuarterlyPublication.objects.create(
                    organization=branch, year=today.year - 1, quarter=4
                ),
                "job": job_create(
                    kind="village_export",
                    created_by=world.users["secretary" if who == member else "county_admin"],
                    organization=branch,
                ),
            }
        )
    for kind in sides[0]:
        world.objects[kind] = (sides[0][kind].pk, sides[1][kind].pk)
    county = Organization.objects.get(code="QX")
    world.objects["shortlist"] = (
        Shortlist.objects.create(name="储备人选", organization=county).pk,
        Shortlist.objects.create(name="乙镇人选", organization=other.origin.get_parent()).pk,
    )
    world.objects["saved_search"] = (
        SavedSearch.objects.create(owner=world.users["recruiter"], name="返乡青年").pk,
        SavedSearch.objects.create(owner=world.users["county_admin"], name="县里的").pk,
    )
    world.objects["synonym"] = (Synonym.objects.create(term="两委", equivalents="村两委").pk, None)
    world.objects["base_search"] = (BaseSearch.objects.create(name="两委换届").pk, None)
    package = RedPackageStock.objects.order_by("pk").first()
    if package is not None:
        world.objects["stock_movement"] = (
            StockMovement.objects.create(package_id=package.pk, change=1, reason="补货").pk,
            None,
        )


def _pk_or_zero(queryset, attribute: str = "pk"):
    row = queryset.order_by("pk").first()
    return getattr(row, attribute) if row else 0


def _step_extras_build(world: World) -> None:
    """The steps a member opens: a study step, a quiz and an offline session, and the page
    a secretary makes a monthly pack from."""
    extra = world.extra
    # Monthly templates reach no member (their steps 404 for everyone): only real tracks.
    steps = TrackStep.objects.filter(track__live=True, track__is_template=False)
    study = steps.filter(kind=TrackStep.Kind.MATERIAL).order_by("pk").first()
    quiz = steps.filter(kind=TrackStep.Kind.QUIZ).order_by("pk").first()
    extra["track_id"], extra["step_id"] = (study.track_id, study.pk) if study else (0, 0)
    extra["quiz_track_id"], extra["quiz_step_id"] = (quiz.track_id, quiz.pk) if quiz else (0, 0)
    extra["offline_step_id"] = _pk_or_zero(steps.filter(kind=TrackStep.Kind.OFFLINE))
    extra["template_page_id"] = _pk_or_zero(TrackPage.objects.filter(is_template=True))
    extra["number"] = 1


def _code_extras_build(world: World, member: Member) -> None:
    """Codes and keys the member's own pages and the public checks take."""
    extra = world.extra
    extra["card_code"] = _pk_or_zero(ActivityCertificate.objects.filter(member=member), "code")
    extra["learning_code"] = _pk_or_zero(
        LearningCertificate.objects.filter(completion__member=member), "code"
    )
    extra["package_request_id"] = _pk_or_zero(RedPackageRequest.objects.filter(member=member))
    extra["package_page_id"] = _pk_or_zero(RedPackagePage.objects.live())
    extra["member_id"] = _pk_or_zero(Liaison.objects.all(), "member_id")
    extra["slug"] = _pk_or_zero(StudyMaterialTag.objects.all(), "tag")
    extra["slug"] = getattr(extra["slug"], "slug", "none")
    extra["action"] = "accept"

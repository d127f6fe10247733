"""The annual assessment (年考核): drafts from the ledger and the rules, and the secretary's
confirmation or override with a reason."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.cards.selectors import contact_activities_attested
from portal.meetings.selectors import attendance_counts
from portal.models import Member, Organization

from ..models import AnnualAssessment, AssessmentPolicy, CreditEntry, Grade
from ..periods.selectors import batches, ledger_sums, nearest_by_path

FULL_SCORE = 12  # the 12-point system: every member starts the year with 12 marks

# Why a draft is not a better grade: machine codes here, words in the admin.
DRAFT_REASONS = {
    "hours_below_minimum": gettext_lazy("Fewer study hours than the yearly minimum"),
    "points_below_qualified": gettext_lazy("Fewer points than needed for qualified"),
    "points_below_excellent": gettext_lazy("Fewer points than needed for excellent"),
    "score_below_basic": gettext_lazy("12-point score below basically qualified"),
    "score_below_qualified": gettext_lazy("12-point score below qualified"),
    "score_below_excellent": gettext_lazy("12-point score below excellent"),
    "contact_card_unattested": gettext_lazy(
        "No activity attestation from the host branch on the year's contact card"
    ),
    "contact_activities_below_minimum": gettext_lazy(
        "Fewer countersigned activities on the attested contact card than required"
    ),
    # These two are filled with the assessment's meeting figures (``draft_reasons_text``).
    "meeting_absences_above_maximum": gettext_lazy(
        "Absent without leave from %(absent)s of the year's %(expected)s meetings, more than "
        "excellent allows"
    ),
    "meeting_rate_below_minimum": gettext_lazy(
        "Present at %(rate)s%% of the year's %(expected)s meetings, below what excellent asks"
    ),
}
NO_MEETINGS = {"present": 0, "leave": 0, "absent": 0}


# What a recomputation changes: never the confirmed grade, its reason, who or when.
DRAFT_FIELDS = [
    "hours",
    "points",
    "score",
    "meetings_present",
    "meetings_leave",
    "meetings_absent",
    "draft_grade",
    "draft_reasons",
    "computed_at",
]


def assessment_policy_default() -> AssessmentPolicy:
    """The rules where no organisation set its own: the model's defaults and the yearly
    hours from settings."""
    return AssessmentPolicy(min_hours=Decimal(str(settings.LEARNING_YEARLY_HOURS)))


def _contact_reasons(
    *, policy: AssessmentPolicy, floating: bool, attested: int | None
) -> list[str]:
    """Why a floating member's contact card keeps the draft below qualified, if it does:
    the policy asks for ``min_contact_activities`` countersigned activities on a card the
    host branch attested (``attested`` is None when there is no attested card)."""
    if not floating or not policy.min_contact_activities:
        return []
    if attested is None:
        return ["contact_card_unattested"]
    if attested < policy.min_contact_activities:
        return ["contact_activities_below_minimum"]
    return []


def _meeting_reasons(*, policy: AssessmentPolicy, meetings: dict[str, int]) -> list[str]:
    """Why the year's meetings keep the draft below excellent, if they do: more absences
    without leave than ``max_meeting_absences``, or a rate (present over expected) below
    ``min_meeting_rate``. A member expected at no closed meeting is not concerned."""
    reasons = []
    expected = sum(meetings.values())
    if policy.max_meeting_absences is not None and meetings["absent"] > (
        policy.max_meeting_absences
    ):
        reasons.append("meeting_absences_above_maximum")
    if (
        policy.min_meeting_rate is not None
        and expected
        and 100 * meetings["present"] < policy.min_meeting_rate * expected
    ):
        reasons.append("meeting_rate_below_minimum")
    return reasons


def assessment_draft(
    *,
    hours: Decimal,
    points: int,
    score: int,
    policy: AssessmentPolicy,
    floating: bool = False,
    attested: int | None = None,
    meetings: dict[str, int] | None = None,
) -> tuple[str, list[str]]:
    """The draft grade from the rules, and the reasons it is not a better one.

    Unqualified: the 12-point score fell below the basic threshold. Basically qualified:
    too few hours or points, a score below the qualified threshold, or (for a floating
    member, where the policy asks for it) no attested contact card with enough countersigned
    activities. Excellent: the points and the score of excellence, and (where the policy
    asks) the year's meetings attended (``meetings``: present, leave, absent). Qualified
    otherwise.
    """
    if score < policy.basic_min_score:
        return Grade.UNQUALIFIED, ["score_below_basic"]
    basic = _contact_reasons(policy=policy, floating=floating, attested=attested)
    if hours < policy.min_hours:
        basic.append("hours_below_minimum")
    if points < policy.qualified_points:
        basic.append("points_below_qualified")
    if score < policy.qualified_min_score:
        basic.append("score_below_qualified")
    if basic:
        return Grade.BASIC, basic
    short = []
    if points < policy.excellent_points:
        short.append("points_below_excellent")
    if score < policy.excellent_min_score:
        short.append("score_below_excellent")
    short += _meeting_reasons(policy=policy, meetings=meetings or NO_MEETINGS)
    return (Grade.QUALIFIED, short) if short else (Grade.EXCELLENT, [])


def assessment_drafts_compute(*, organization_id: int, year: int) -> int:
    """Draft the year's assessment of every member whose origin is in the subtree, from the
    ledger. A recomputation updates the numbers and the draft, never a confirmed grade.
    Returns how many members were drafted."""
    organization = Organization.objects.get(pk=organization_id)
    policies = {
        policy.organization.path: policy
        for policy in AssessmentPolicy.objects.select_related("organization")
    }
    default = assessment_policy_default()
    members = Member.objects.filter(origin__path__startswith=organization.path)
    sums = ledger_sums(CreditEntry.objects.filter(member__in=members, occurred_on__year=year))
    attested = contact_activities_attested(member_ids=members.values("pk"), year=year)
    met = attendance_counts(member_ids=members.values("pk"), year=year)
    now = timezone.now()
    count = 0
    rows_read = members.order_by("pk").values_list("pk", "origin__path", "floating_status")
    for batch in batches(rows_read.iterator()):
        rows = []
        for member_id, origin_path, status in batch:
            hours, points, deduction = sums.get(member_id, (Decimal("0"), 0, 0))
            score = max(FULL_SCORE - deduction, 0)
            policy = nearest_by_path(policies, origin_path, default)
            meetings = met.get(member_id, NO_MEETINGS)
            grade, reasons = assessment_draft(
                hours=hours,
                points=points,
                score=score,
                policy=policy,
                floating=status == Member.FloatingStatus.FLOATING,
                attested=attested.get(member_id),
                meetings=meetings,
            )
            rows.append(
                AnnualAssessment(
                    member_id=member_id,
                    year=year,
                    hours=hours,
                    points=points,
                    score=score,
                    meetings_present=meetings["present"],
                    meetings_leave=meetings["leave"],
                    meetings_absent=meetings["absent"],
                    draft_grade=grade,
                    draft_reasons=reasons,
                    computed_at=now,
                )
            )
        AnnualAssessment.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["member", "year"],
            update_fields=DRAFT_FIELDS,
        )
        count += len(rows)
    return count


def assessment_confirm_check(*, assessment: AnnualAssessment, grade: str, reason: str) -> None:
    """A grade other than the draft needs the reason for it."""
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose one of the grades.")})
    if grade != assessment.draft_grade and not (reason or "").strip():
        raise ValidationError(
            {"override_reason": _("Give the reason for a grade other than the draft.")}
        )


@transaction.atomic
def assessment_confirm(
    *, assessment: AnnualAssessment, grade: str, reason: str, user
) -> AnnualAssessment:
    """The secretary confirms the draft grade, or gives another with a reason."""
    assessment_confirm_check(assessment=assessment, grade=grade, reason=reason)
    assessment.grade = grade
    assessment.override_reason = (reason or "").strip()
    assessment.confirmed_by = user
    assessment.confirmed_at = timezone.now()
    assessment.full_clean()
    assessment.save(update_fields=["grade", "override_reason", "confirmed_by", "confirmed_at"])
    return assessment

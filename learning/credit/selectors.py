"""Reading the ledger's points rules, and the room left under their caps.

Points rules come from the nearest organisation at or above the member's origin branch that
has one for the activity, else from ``DEFAULT_POINTS_RULES``. The built-in defaults, as
学习强国 caps its own activities:

=========  ======  =========  ===========  ==========================================
activity   points  daily cap  monthly cap  why
=========  ======  =========  ===========  ==========================================
track      track's   —        60           a track brings its own points; a month of
           own                             packs should not outweigh a year's duty
material   1       5          —            reading earns a little, many times a day
lecture    2       6          —            three micro-lectures a day count
quiz       3       6          —            two passed quizzes a day count
reading    5       —          10           a red-package book takes days to read
offline    5       —          —            organisational life is never capped
=========  ======  =========  ===========  ==========================================

Study hours are never capped: only points are.
"""

import datetime

from django.db.models import Sum

from portal.models import Member

from ..models import Activity, CreditEntry, PointsRule
from ..tracks.selectors import ancestor_paths

# activity: (points, daily cap, monthly cap); None is no cap. See the module docstring.
DEFAULT_POINTS_RULES = {
    Activity.TRACK: (0, None, 60),
    Activity.MATERIAL: (1, 5, None),
    Activity.LECTURE: (2, 6, None),
    Activity.QUIZ: (3, 6, None),
    Activity.READING: (5, None, 10),
    Activity.OFFLINE: (5, None, None),
}


def points_rule_for(*, member: Member, activity: str) -> PointsRule:
    """The rule of the nearest organisation at or above the member's origin branch with one
    for ``activity``; else the built-in default (unsaved, without an organisation)."""
    paths = ancestor_paths(member.origin)
    rule = (
        PointsRule.objects.filter(activity=activity, organization__path__in=paths)
        .order_by("-organization__depth")
        .first()
    )
    if rule is not None:
        return rule
    points, daily_cap, monthly_cap = DEFAULT_POINTS_RULES[activity]
    return PointsRule(
        activity=activity, points=points, daily_cap=daily_cap, monthly_cap=monthly_cap
    )


def _points_counted(*, member_id: int, activity: str, since: datetime.date, on: datetime.date):
    total = CreditEntry.objects.filter(
        member_id=member_id, activity=activity, occurred_on__gte=since, occurred_on__lte=on
    ).aggregate(total=Sum("points"))["total"]
    return total or 0


def points_within_caps(*, member_id: int, rule: PointsRule, points: int, on: datetime.date) -> int:
    """How many of ``points`` fit under the rule's daily and monthly caps on day ``on``.

    The caller holds the member row lock, so what is counted cannot change underneath.
    """
    allowed = points
    caps = ((rule.daily_cap, on), (rule.monthly_cap, on.replace(day=1)))
    for cap, since in caps:
        if cap is None:
            continue
        counted = _points_counted(member_id=member_id, activity=rule.activity, since=since, on=on)
        allowed = min(allowed, max(cap - counted, 0))
    return max(allowed, 0)

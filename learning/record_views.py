"""'My record' on the phone: the member's own hours, points, tracks, certificates and what
is due; only ever the logged-in member's."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .quiz_views import member_or_403
from .selectors import member_record

# The SVG's drawing units (it scales to the phone's width): the baseline at 100, the
# tallest bar 88 high, leaving room above it for its label.
BASELINE = 100
TALLEST = 88


@dataclass
class Bar:
    month: int
    points: int
    x: int
    y: float
    height: float


def month_bars(points_by_month: list[int]) -> list[Bar]:
    """Bars of a 12-month chart in a 240×120 view box: 20 units a month, labels below."""
    top = max([*points_by_month, 1])
    bars = []
    for index, points in enumerate(points_by_month):
        height = TALLEST * max(points, 0) / top
        bars.append(Bar(index + 1, points, 20 * index + 3, BASELINE - height, height))
    return bars


@login_required
def record(request):
    member = member_or_403(request)
    data = member_record(member=member)
    context = {"record": data, "bars": month_bars(data.points_by_month)}
    return render(request, "learning/record.html", context)

"""The admin home of an org admin: red packages sent and study packs delivered, by
organisation, for a month, quarter or year they choose (``?packages_period=``)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component

from portal.parcels import selectors as parcel_selectors


def _month_start(year: int, month: int) -> datetime.date:
    while month < 1:
        year, month = year - 1, month + 12
    while month > 12:
        year, month = year + 1, month - 12
    return datetime.date(year, month, 1)


def period_choices(today: datetime.date) -> list[tuple[str, str, datetime.date, datetime.date]]:
    """(key, label, first day, day after) for this and the last month, quarter and year."""
    quarter_month = (today.month - 1) // 3 * 3 + 1
    spans = [
        ("month", _month_start(today.year, today.month), 1),
        ("month", _month_start(today.year, today.month - 1), 1),
        ("quarter", _month_start(today.year, quarter_month), 3),
        ("quarter", _month_start(today.year, quarter_month - 3), 3),
        ("year", datetime.date(today.year, 1, 1), 12),
        ("year", datetime.date(today.year - 1, 1, 1), 12),
    ]
    choices = []
    for kind, first, months in spans:
        after = _month_start(first.year, first.month + months)
        if kind == "month":
            key, label = (
                f"{first:%Y-%m}",
                _("%(year)d-%(month)02d") % {"year": first.year, "month": first.month},
            )
        elif kind == "quarter":
            number = (first.month - 1) // 3 + 1
            key = f"{first.year}-Q{number}"
            label = _("%(year)d Q%(quarter)d") % {"year": first.year, "quarter": number}
        else:
            key, label = str(first.year), _("Year %(year)d") % {"year": first.year}
        choices.append((key, label, first, after))
    return choices


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class PackageCountsPanel(Component):
    """On the admin home of an org admin: packages dispatched and study packs received in a
    chosen month, quarter or year, for each organisation in the subtrees they keep."""

    name = "red_package_counts"
    order = 160
    template_name = "portal/parcels/admin/counts_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        choices = period_choices(timezone.localdate())
        chosen = self.request.GET.get("packages_period")
        key, label, first, after = next((c for c in choices if c[0] == chosen), choices[0])
        rows = parcel_selectors.package_counts(
            user=self.request.user, start=_aware(first), end=_aware(after)
        )
        return {
            "rows": rows,
            "period_key": key,
            "period_label": label,
            "choices": [(c[0], c[1]) for c in choices],
        }

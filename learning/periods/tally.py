"""The monthly tally: every member's hours, points and deductions of a month, from the
ledger, as the quarterly publication and the dashboards read them."""

from decimal import Decimal

from django.utils import timezone

from portal.models import Member

from ..models import CreditEntry, MonthlyTally
from .selectors import BATCH_SIZE, batches, ledger_sums, month_bounds, month_or_last


def monthly_tally(*, year: int | None = None, month: int | None = None) -> int:
    """Every member's hours, points and deductions of the month (default: the one that just
    ended), from one aggregate over the ledger; members with nothing get zeros. Upserts, so
    running it again gives the same rows. Returns how many members were tallied."""
    year, month = month_or_last(year, month)
    first, last = month_bounds(year, month)
    sums = ledger_sums(CreditEntry.objects.filter(occurred_on__gte=first, occurred_on__lte=last))
    now = timezone.now()
    zero = (Decimal("0"), 0, 0)
    member_ids = Member.objects.order_by("pk").values_list("pk", flat=True)
    count = 0
    for batch in batches(member_ids.iterator(chunk_size=BATCH_SIZE)):
        rows = []
        for member_id in batch:
            hours, points, deduction = sums.get(member_id, zero)
            rows.append(
                MonthlyTally(
                    member_id=member_id,
                    year=year,
                    month=month,
                    hours=hours,
                    points=points,
                    deduction=deduction,
                    computed_at=now,
                )
            )
        MonthlyTally.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["member", "year", "month"],
            update_fields=["hours", "points", "deduction", "computed_at"],
        )
        count += len(rows)
    return count

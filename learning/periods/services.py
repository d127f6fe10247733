"""Publishing a quarter (季公示): once per organisation and quarter that has ended; its
members are told in the background (``notifications.publication_notify``).

The deductions and the monthly tally the publication reads are in ``deductions`` and
``tally``; the annual assessment (年考核) built on the same sums is in ``learning.assessment``.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Organization

from ..models import QuarterlyPublication
from .selectors import month_bounds, quarter_months
from .tasks import publication_notify


def quarter_publish(
    *, organization: Organization, year: int, quarter: int, user, note: str = ""
) -> QuarterlyPublication:
    """Publish the organisation's points for a quarter that has ended, once, and tell the
    members of its subtree (in the background, once the publication is saved)."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("The quarter is 1, 2, 3 or 4.")})
    last_day = month_bounds(year, quarter_months(quarter)[-1])[1]
    if last_day >= timezone.localdate():
        raise ValidationError({"quarter": _("A quarter can be published once it has ended.")})
    publication = QuarterlyPublication(
        organization=organization, year=year, quarter=quarter, note=note, published_by=user
    )
    publication.full_clean(exclude=["published_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError:
        raise ValidationError(
            {"quarter": _("This quarter has already been published for this organisation.")}
        ) from None
    transaction.on_commit(lambda: publication_notify.delay(publication.pk))
    return publication

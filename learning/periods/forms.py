"""Publishing a quarter in the admin."""

from ..credit.forms import OrganizationScopedForm
from ..models import QuarterlyPublication


class PublicationForm(OrganizationScopedForm):
    class Meta:
        model = QuarterlyPublication
        fields = ["organization", "year", "quarter", "note"]

    def _post_clean(self):
        """Validated by the service (services.quarter_publish), which names the field."""

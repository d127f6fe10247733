"""The ledger files' forms in the admin: the upload of a ledger to import, the order of a
village sheet or a township workbook."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.ledger.exports import EXPORT_LEVELS
from portal.ledger.models import Job
from portal.registry.selectors import organizations_managed_by


def ledger_file_field(**options) -> forms.FileField:
    """The upload field of a ledger file (apps' imports reuse it)."""
    return forms.FileField(
        label=_("ledger file"),
        help_text=_("An .xlsx workbook (first sheet), a .csv in UTF-8 or GBK, or .json."),
        **options,
    )


class ImportForm(forms.Form):
    file = ledger_file_field()


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("export"),
        choices=[
            (Job.Kind.VILLAGE_EXPORT, _("One sheet for a village (一村一表)")),
            (Job.Kind.TOWNSHIP_EXPORT, _("One workbook for a township (一乡一册)")),
        ],
    )
    organization = forms.ModelChoiceField(label=_("organisation"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        levels = {level for levels in EXPORT_LEVELS.values() for level in levels}
        kept = organizations_managed_by(user).filter(level__in=levels)
        self.fields["organization"].queryset = kept
        self.fields["organization"].label_from_instance = lambda o: o.indented_name

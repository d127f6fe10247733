"""The talent ledger's upload form (county org admins)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.ledger.forms import ledger_file_field


class TalentImportForm(forms.Form):
    file = ledger_file_field(
        error_messages={"required": _("Choose the talent ledger file to upload.")},
    )

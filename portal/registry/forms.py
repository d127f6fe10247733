from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from portal.registry.identity import phone_normalize


class SiteLoginForm(AuthenticationForm):
    """Members log in with their phone number; staff with their username."""

    username = forms.CharField(
        label=_("Phone number or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel"}),
    )

    def clean_username(self) -> str:
        value = self.cleaned_data["username"].strip()
        normalized = phone_normalize(value)
        return normalized if normalized.isdigit() else value


class ActivationForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "tel"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


def validation_errors_add(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: each message on its field where the form has
    one, on the whole form otherwise."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's login form, whose password field has no label of its own: Django showed its
    name, "Password", in English."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")

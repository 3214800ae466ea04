from typing import Any

from allauth.account.forms import (
    AddEmailForm,
    ChangePasswordForm,
    LoginForm,
    ReauthenticateForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SetPasswordForm,
    SignupForm,
)
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import AbuseReport, ApiToken, LoginEvent, Organization, User
from accounts.provinces import Province
from accounts.services import trader_sign_up
from accounts.taxcode import tax_code_normalize


def _password_help() -> str:
    return " ".join(str(text) for text in password_validators_help_texts())


def _relabel(form: forms.Form, labels: dict[str, Any]) -> None:
    """allauth ships no Vietnamese: its forms get their labels from our catalogue."""
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].label = label
            form.fields[name].widget.attrs["placeholder"] = label
            form.fields[name].help_text = ""
    if "password1" in form.fields:
        form.fields["password1"].help_text = _password_help()


def _mismatch_reword(form: forms.Form) -> None:
    """allauth's "same password" error comes from its own (untranslated) catalogue."""
    typed = form.data.get(form.add_prefix("password2"))
    if typed and form.errors.get("password2"):
        form.errors["password2"] = form.error_class([str(_("The two passwords differ."))])


class PasswordPairMixin:
    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        assert isinstance(self, forms.Form)
        _mismatch_reword(self)
        return data


def _forgot_password_help() -> str:
    return format_html(
        '<a href="{}">{}</a>', reverse_lazy("account_reset_password"), _("Forgot your password?")
    )


class SiteLoginForm(LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"login": _("E-mail"), "password": _("Password")})
        self.fields["password"].help_text = lazy(_forgot_password_help, str)()
        if "remember" in self.fields:
            self.fields["remember"].label = _("Remember me")


class SiteChangePasswordForm(PasswordPairMixin, ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {
                "oldpassword": _("Current password"),
                "password1": _("New password"),
                "password2": _("New password (again)"),
            },
        )


class SiteSetPasswordForm(PasswordPairMixin, SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": _("Password"), "password2": _("Password (again)")})


class SiteResetPasswordForm(ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": _("E-mail")})


class SiteResetPasswordKeyForm(PasswordPairMixin, ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password1": _("New password"), "password2": _("New password (again)")})


class SiteAddEmailForm(AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"email": _("E-mail")})


class SiteReauthenticateForm(ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(self, {"password": _("Password")})


class TraderSignupForm(SignupForm):
    """allauth's sign-up, extended with the trader organisation the first user will admin."""

    organization_name = forms.CharField(label=_("Company name"), max_length=255)
    tax_code = forms.CharField(
        label=_("Tax code (MST)"),
        max_length=14,
        help_text=_("10 digits, or 13 for a branch written NNNNNNNNNN-NNN."),
    )
    province = forms.ChoiceField(label=_("Province"), choices=Province.choices)
    full_name = forms.CharField(label=_("Your full name"), max_length=255)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _relabel(
            self,
            {"email": _("E-mail"), "password1": _("Password"), "password2": _("Password (again)")},
        )
        self.order_fields(
            [
                "organization_name",
                "tax_code",
                "province",
                "full_name",
                "email",
                "phone",
                "password1",
                "password2",
            ]
        )

    def clean_tax_code(self) -> str:
        tax_code = tax_code_normalize(self.cleaned_data["tax_code"])
        # allauth saves the form after its last chance to show an error: the organisation's
        # uniqueness rule (and its message) is asked of the model here.
        try:
            Organization(tax_code=tax_code).validate_unique()
        except ValidationError as error:
            raise ValidationError(error.message_dict["tax_code"]) from error
        return tax_code

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean()
        _mismatch_reword(self)
        password = data.get("password1")
        if password and "password1" not in self.errors:
            candidate = User(
                email=data.get("email", ""),
                full_name=data.get("full_name", ""),
                phone=data.get("phone", ""),
                organization=Organization(
                    name=data.get("organization_name", ""), tax_code=data.get("tax_code", "")
                ),
            )
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def save(self, request: HttpRequest) -> User:
        data = self.cleaned_data
        user = trader_sign_up(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            organization_name=data["organization_name"],
            tax_code=data["tax_code"],
            province=data["province"],
            phone=data.get("phone", ""),
        )
        setup_user_email(request, user, [EmailAddress(email=user.email)])
        return user


class SecurityPolicyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organization
        fields = [
            "require_2fa",
            "require_phishing_resistant",
            "password_max_age_days",
            "require_verified_contract_signatures",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind != Organization.Kind.TRADER:
            # Only a trader confirms contracts.
            del self.fields["require_verified_contract_signatures"]


class OtpVerifyForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordConfirmForm(forms.Form):
    """Changing 2FA asks for the password again, so that an open session is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "placeholder": _("Your password")}
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not right."))
        return password


class TotpAddForm(PasswordConfirmForm):
    field_order = ["name", "token", "password"]
    name = forms.CharField(label=_("Name of the device"), max_length=64, initial=_("My phone"))
    token = forms.CharField(
        label=_("Code shown by the app"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasskeyNameForm(forms.Form):
    """The name of the passkey being added; the page's script fills in which passkey once
    the browser has made it."""

    passkey = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    name = forms.CharField(
        label=_("Name of the passkey"),
        max_length=64,
        required=False,
        help_text=_("So that you can tell your passkeys apart, e.g. 'work laptop' or 'blue key'."),
    )


class LoginHistoryFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    kind = forms.ChoiceField(label=_("Outcome"), required=False)

    def __init__(self, *args: Any, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("Any outcome")), *LoginEvent.Kind.choices]
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        if users is None:
            del self.fields["user"]
        else:
            user_field.queryset = users


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices, initial=User.Role.STAFF)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label=_("Your full name"), max_length=255)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        help_text=_("Your password may not contain it either."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(_password_help, str)(),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


class CertificateUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate file"),
        help_text=_("The certificate of a digital signature: .cer, .crt or .pem, DER or PEM."),
        widget=forms.ClearableFileInput(attrs={"accept": ".cer,.crt,.pem,.der"}),
    )


class AbuseReportForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = AbuseReport
        fields = ["kind", "happened_from", "happened_until", "description", "declarations"]
        widgets = {
            "happened_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "happened_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
            "declarations": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        # The model is validated by the service, with the reporter's organisation set.
        pass


class AbuseAnswerForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=AbuseReport.Status.choices)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class ApiTokenForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Acts as user"), queryset=User.objects.none())
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=200,
        help_text=_("What the client is, e.g. 'declaration feed from the clearance system'."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("A read token only reads; an ingest token only pushes declarations."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        initial=ApiToken.DEFAULT_DAYS,
        min_value=1,
        max_value=ApiToken.MAX_DAYS,
    )

    def __init__(self, *args: Any, users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = users

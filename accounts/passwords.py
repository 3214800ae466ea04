"""Password rules beyond Django's (NIST SP 800-63B): no password built from the account's
own identifiers, and none of the user's recent passwords again."""

import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter identifiers (a two-letter e-mail name) would refuse half of all passwords.
MINIMUM_IDENTIFIER_LENGTH = 4
PASSWORD_HISTORY_SIZE = 5


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _letters(value: str) -> str:
    # Case, spaces and punctuation do not make a password different: "Hoang.Nam" is
    # "hoangnam".
    return re.sub(r"[\W_]+", "", value).casefold()


class AccountIdentifierValidator:
    """Refuse a password that equals or contains the e-mail's local part, the phone, the
    national ID number, or the organisation's tax code or name."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        errors = []
        text = _letters(password)
        digits = _digits(password)
        local_part = (getattr(user, "email", "") or "").split("@")[0]
        if len(local_part) >= MINIMUM_IDENTIFIER_LENGTH and _letters(local_part) in text:
            errors.append(_("The password must not contain your e-mail address."))
        numbers = [
            (getattr(user, "phone", ""), _("The password must not contain your phone number.")),
            (
                getattr(user, "national_id", ""),
                _("The password must not contain your national ID number."),
            ),
        ]
        organization = getattr(user, "organization", None)
        if organization is not None:
            numbers.append(
                (
                    organization.tax_code,
                    _("The password must not contain your organisation's tax code."),
                )
            )
            name = _letters(organization.name or "")
            if len(name) >= MINIMUM_IDENTIFIER_LENGTH and name in text:
                errors.append(_("The password must not contain your organisation's name."))
        for number, message in numbers:
            number_digits = _digits(number or "")
            if len(number_digits) >= MINIMUM_IDENTIFIER_LENGTH and number_digits in digits:
                errors.append(message)
        if errors:
            raise ValidationError(errors, code="password_contains_identifier")

    def get_help_text(self) -> str:
        return _(
            "Your password must not contain your e-mail name, phone, national ID number, "
            "or your organisation's tax code or name."
        )


class PasswordReuseValidator:
    """Refuse the current password and the ones before it, up to the last five."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from accounts.models import PasswordHistory

        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                :PASSWORD_HISTORY_SIZE
            ]
        )
        if user.password and user.password not in hashes:
            hashes = [user.password, *hashes[: PASSWORD_HISTORY_SIZE - 1]]
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                _(
                    "You used this password recently: choose one that is not among your "
                    "last %(count)d passwords."
                )
                % {"count": PASSWORD_HISTORY_SIZE},
                code="password_reused",
            )

    def password_changed(self, password: str, user: Any = None) -> None:
        # Django calls this after a new password is saved: the hash joins the history.
        if user is None or user.pk is None or not user.has_usable_password():
            return
        from accounts.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            PASSWORD_HISTORY_SIZE:
        ]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return _("Your password must differ from your last %(count)d passwords.") % {
            "count": PASSWORD_HISTORY_SIZE
        }

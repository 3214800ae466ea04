"""Password rules beyond Django's (NIST SP 800-63B): no password made of spaces, repeated or
sequential characters; none built from the account's own identifiers, the user's or the
organisation's name or the site's; none that zxcvbn finds guessable; and none of the user's
recent passwords again. Names are compared without case, spaces or diacritics, so that
"saoviet" is "Sao Việt"."""

import itertools
import re
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django_zxcvbn_password_validator import ZxcvbnPasswordValidator

from accounts.text import text_fold

# Shorter identifiers (a two-letter e-mail name) would refuse half of all passwords.
MINIMUM_IDENTIFIER_LENGTH = 4
PASSWORD_HISTORY_SIZE = 5


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _letters(value: str) -> str:
    # Case, spaces, punctuation and diacritics do not make a password different:
    # "Hoàng.Nam" is "hoangnam".
    return re.sub(r"[\W_]+", "", text_fold(value))


# What every Vietnamese company name carries (its legal form and the usual trades): what is
# left is the name that sets the organisation apart ("Sao Việt" in "Công ty TNHH Thương mại
# Sao Việt"). Compared folded, as whole words, longest first.
COMPANY_NAME_GENERIC_PHRASES = sorted(
    [
        "cong ty",
        "trach nhiem huu han",
        "tnhh",
        "co phan",
        "cp",
        "cty",
        "mot thanh vien",
        "mtv",
        "hai thanh vien tro len",
        "doanh nghiep tu nhan",
        "dntn",
        "hop danh",
        "tap doan",
        "chi nhanh",
        "tong cong ty",
        "thuong mai",
        "dich vu",
        "xuat nhap khau",
        "xnk",
        "san xuat",
        "dau tu",
        "phat trien",
        "giao nhan",
        "van tai",
        "van chuyen",
        "logistics",
        "dai ly hai quan",
        "hai quan",
        "viet nam",
        "quoc te",
        "va",
        "company",
        "co",
        "ltd",
        "limited",
        "jsc",
        "joint stock",
        "corporation",
        "corp",
        "trading",
        "import export",
        "and",
    ],
    key=len,
    reverse=True,
)
_GENERIC_PHRASE_WORDS = [phrase.split() for phrase in COMPANY_NAME_GENERIC_PHRASES]
# A distinctive word shorter than this ("Sao", "Mai") is refused only within the whole
# distinctive name: alone it is in half the words of the language.
MINIMUM_DISTINCTIVE_WORD_LENGTH = 5
# The site's own name, in both languages, and the parts people would take from it.
SITE_NAME_PHRASES = (
    "Customs broker registry",
    "customs broker",
    "broker registry",
    "Sổ đăng ký đại lý hải quan",
    "đại lý hải quan",
    "hải quan",
)


# zxcvbn's dictionaries are English: the Vietnamese words people put in passwords first
# ("mật khẩu" is "password") are added to what it tries.
VIETNAMESE_PASSWORD_WORDS = ("matkhau", "anhyeuem", "emyeuanh", "yeuem", "xinchao", "vietnam")


def organization_distinctive_words(name: str) -> list[str]:
    """The words of an organisation's name that set it apart, as written (diacritics kept):
    the name without its legal form and trade words."""
    words = name.split()
    folded = [_letters(word) for word in words]
    keep = [True] * len(words)
    index = 0
    while index < len(words):
        for phrase in _GENERIC_PHRASE_WORDS:
            if folded[index : index + len(phrase)] == phrase:
                for position in range(index, index + len(phrase)):
                    keep[position] = False
                index += len(phrase) - 1
                break
        index += 1
    return [word for word, kept in zip(words, keep, strict=True) if kept and _letters(word)]


class AccountIdentifierValidator:
    """Refuse a password that equals or contains the site's name, the user's name, the
    e-mail's local part, the phone, the national ID number, or the organisation's tax code,
    name or a distinctive word of it."""

    def validate(self, password: str, user: Any = None) -> None:
        text = _letters(password)
        errors = _site_name_refusal(text)
        if user is None:
            if errors:
                raise ValidationError(errors, code="password_contains_identifier")
            return
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
        full_name = getattr(user, "full_name", "") or ""
        name_parts = [_letters(full_name), *(_letters(word) for word in full_name.split())]
        if any(len(part) >= MINIMUM_IDENTIFIER_LENGTH and part in text for part in name_parts):
            errors.append(_("The password must not contain your own name."))
        organization = getattr(user, "organization", None)
        if organization is not None:
            numbers.append(
                (
                    organization.tax_code,
                    _("The password must not contain your organisation's tax code."),
                )
            )
            errors.extend(_organization_name_refusals(organization.name or "", text))
        for number, message in numbers:
            number_digits = _digits(number or "")
            if len(number_digits) >= MINIMUM_IDENTIFIER_LENGTH and number_digits in digits:
                errors.append(message)
        if errors:
            raise ValidationError(errors, code="password_contains_identifier")

    def get_help_text(self) -> str:
        return _(
            "Your password must not contain your name, e-mail name, phone, national ID "
            "number, your organisation's tax code or name, or the name of this site."
        )


def _organization_name_refusals(name: str, text: str) -> list[str]:
    distinctive = organization_distinctive_words(name)
    whole = _letters(name)
    if len(whole) >= MINIMUM_IDENTIFIER_LENGTH and whole in text:
        return [_("The password must not contain your organisation's name.")]
    joined = _letters("".join(distinctive))
    if len(joined) >= MINIMUM_IDENTIFIER_LENGTH and joined in text:
        return [
            _("The password must not contain “%(name)s”, your organisation's name.")
            % {"name": " ".join(distinctive)}
        ]
    return [
        _("The password must not contain “%(word)s”, a word of your organisation's name.")
        % {"word": word}
        for word in distinctive
        if len(_letters(word)) >= MINIMUM_DISTINCTIVE_WORD_LENGTH and _letters(word) in text
    ][:1]


def _site_name_refusal(text: str) -> list[str]:
    for phrase in SITE_NAME_PHRASES:
        if _letters(phrase) in text:
            return [
                _("The password must not contain the name of this site (“%(name)s”).")
                % {"name": phrase}
            ]
    return []


def _sequence_step(previous: str, current: str) -> int | None:
    """+1 or -1 when current follows previous in the alphabet or on the digits (9 then 0
    counts as following, as on a keyboard's number row), 0 for the same character."""
    if previous.isdigit() and current.isdigit():
        step = (int(current) - int(previous)) % 10
        return {0: 0, 1: 1, 9: -1}.get(step)
    step = ord(current.casefold()) - ord(previous.casefold())
    return step if step in (-1, 0, 1) else None


def _longest_run(password: str) -> int:
    """The length of the longest stretch in which each character repeats the one before or
    follows it in one direction ("aaaa", "1234", "dcba")."""
    longest = current = 1
    direction: int | None = None
    for previous, char in itertools.pairwise(password):
        step = _sequence_step(previous, char)
        if step is not None and (direction is None or step == direction):
            current += 1
            direction = step
        elif step is not None:
            current, direction = 2, step
        else:
            current, direction = 1, None
        longest = max(longest, current)
    return longest


class RepetitionValidator:
    """Refuse a password of spaces only, or one built mostly from repeated or sequential
    characters ("aaaaaaaaaaaa", "123456789012", "abcdefghijkl", "abcabcabcabc")."""

    def validate(self, password: str, user: Any = None) -> None:
        text = "".join(password.split())
        if not text:
            raise ValidationError(
                _("The password must not be made of spaces only."), code="password_whitespace"
            )
        repeated_unit = re.fullmatch(r"(.+?)\1+", text) is not None
        if repeated_unit or len(set(text.casefold())) <= 3 or _longest_run(text) * 2 >= len(text):
            raise ValidationError(
                _(
                    "The password must not be built from repeated or sequential characters "
                    "such as “aaaa”, “1234” or “abcd”."
                ),
                code="password_repetitive",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be made of repeated or sequential characters.")


class StrengthValidator(ZxcvbnPasswordValidator):  # type: ignore[misc]
    """zxcvbn's estimate (offline, its own dictionaries) with the account's identifiers, its
    organisation's name and words and the site's name as words an attacker tries first; a
    guessable password is refused with zxcvbn's advice, translated."""

    def _get_user_inputs(self, user: Any) -> list[str]:
        inputs: list[str] = [
            *VIETNAMESE_PASSWORD_WORDS,
            *(text_fold(phrase) for phrase in SITE_NAME_PHRASES),
        ]
        if user is not None:
            for value in (user.email, user.full_name, user.phone, user.national_id):
                if value:
                    inputs.extend([value, text_fold(value)])
            organization = getattr(user, "organization", None)
            if organization is not None:
                distinctive = organization_distinctive_words(organization.name or "")
                inputs.extend(
                    [
                        organization.tax_code,
                        text_fold(organization.name or ""),
                        _letters("".join(distinctive)),
                        *(text_fold(word) for word in distinctive),
                    ]
                )
        return [value for value in inputs if value]


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

"""Forms of the compliance pages: declaration rows and uploads, flag decisions and notes,
the declaration alert."""

from collections.abc import Collection
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identifiers import (
    AGENT_CODE_PATTERN,
    CUSTOMS_OFFICE_PATTERN,
    DECLARATION_NUMBER_PATTERN,
    SIGNER_SERIAL_PATTERN,
    TAX_CODE_FORMAT_MESSAGE,
    TAX_CODE_PATTERN,
    anchored,
)
from accounts.taxcode import tax_code_normalize
from accounts.text import multi_line_text_validate, one_line_text_validate
from compliance.models import Declaration, FlagStatus, ScanRun


@lru_cache(maxsize=8192)
def _tax_code_normalize_cached(value: str) -> str:
    # A batch names the same few thousand parties over and over; only valid codes are
    # cached (an invalid one raises, and exceptions are not cached).
    return tax_code_normalize(value)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("true or false"))
    if isinstance(value, int | float):
        return str(_("a number"))
    if isinstance(value, list):
        return str(_("a list"))
    if isinstance(value, dict):
        return str(_("an object"))
    return type(value).__name__


class _FeedValue:
    """A value of the clearance feed, which arrives as a JSON string (or null or absent
    when it is optional): any other JSON type is refused, never turned into text."""

    def to_python(self, value: Any) -> Any:
        if value is not None and not isinstance(value, str):
            raise ValidationError(
                _("Send this field as a JSON string, not %(type)s."),
                code="type",
                params={"type": _json_type(value)},
            )
        if value:
            one_line_text_validate(value)
        return super().to_python(value)  # type: ignore[misc]


class _FeedText(_FeedValue, forms.CharField):
    """Text as sent, not trimmed: a value with spaces around it is not of its format."""

    def __init__(self, *, pattern: str, pattern_message: Any, **kwargs: Any) -> None:
        validator = RegexValidator(anchored(pattern), pattern_message, code="format")
        super().__init__(validators=[validator], strip=False, **kwargs)


class _FeedDateTime(_FeedValue, forms.DateTimeField):
    pass


class _FeedChoice(_FeedValue, forms.ChoiceField):
    pass


def _printable(name: Any) -> str:
    text = str(name)[:40]
    return "".join(ch if ch.isprintable() else "?" for ch in text)


class DeclarationRowForm(forms.Form):
    """One declaration as the clearance feed sends it (the API's and the CSV's fields):
    each field a string of its own format, the customs office one of ``offices``."""

    number = _FeedText(
        label=_("declaration number"),
        max_length=32,
        pattern=DECLARATION_NUMBER_PATTERN,
        pattern_message=_("A declaration number has letters, digits and dashes only."),
    )
    registered_at = _FeedDateTime(label=_("registered at"))
    customs_office = _FeedText(
        label=_("customs office"),
        max_length=8,
        pattern=CUSTOMS_OFFICE_PATTERN,
        pattern_message=_("A customs office code is two digits and two to six letters or digits."),
    )
    trader_tax_code = _FeedText(
        label=_("trader tax code"),
        max_length=20,
        pattern=TAX_CODE_PATTERN,
        pattern_message=TAX_CODE_FORMAT_MESSAGE,
    )
    declarant_tax_code = _FeedText(
        label=_("declarant tax code"),
        max_length=20,
        pattern=TAX_CODE_PATTERN,
        pattern_message=TAX_CODE_FORMAT_MESSAGE,
    )
    agent_code = _FeedText(
        label=_("agent code"),
        max_length=32,
        required=False,
        pattern=AGENT_CODE_PATTERN,
        pattern_message=_(
            "An agent code has at most 32 letters, digits, dots, dashes or underscores."
        ),
    )
    signer_serial = _FeedText(
        label=_("signer certificate serial"),
        max_length=96,
        required=False,
        pattern=SIGNER_SERIAL_PATTERN,
        pattern_message=_("A certificate serial number is hexadecimal."),
    )
    channel = _FeedChoice(label=_("channel"), choices=Declaration.Channel.choices)

    def __init__(self, *args: Any, offices: Collection[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offices = offices

    def clean_registered_at(self) -> datetime:
        registered_at: datetime = self.cleaned_data["registered_at"]
        # Clearance sends what it registered; a day's slack covers clocks and time zones.
        if registered_at > timezone.now() + timedelta(days=1):
            raise ValidationError(_("A declaration cannot be registered in the future."))
        return registered_at

    def clean_trader_tax_code(self) -> str:
        return _tax_code_normalize_cached(self.cleaned_data["trader_tax_code"])

    def clean_declarant_tax_code(self) -> str:
        return _tax_code_normalize_cached(self.cleaned_data["declarant_tax_code"])

    def clean_customs_office(self) -> str:
        code = str(self.cleaned_data["customs_office"]).upper()
        if code not in self.offices:
            raise ValidationError(
                _("%(code)s is not a known customs office."), params={"code": code}
            )
        return code

    def clean_agent_code(self) -> str:
        return str(self.cleaned_data["agent_code"]).upper()

    def clean_signer_serial(self) -> str:
        # Clearance records serials in upper-case hexadecimal, without separators or
        # leading zeros; certificates are registered the same way.
        serial = "".join(ch for ch in str(self.cleaned_data["signer_serial"]) if ch not in ": -")
        serial = serial.upper().lstrip("0")
        if len(serial) > 64:
            raise ValidationError(_("A certificate serial number has at most 64 digits."))
        return serial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A CSV line with more values than the header has them under the key None.
        if None in self.data:
            self.add_error(None, _("This line has more values than the header has columns."))
        unknown = sorted(
            _printable(name) for name in self.data if name is not None and name not in self.fields
        )
        if unknown:
            self.add_error(None, _("Unknown field(s): %(names)s.") % {"names": ", ".join(unknown)})
        return data


class DeclarationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of declarations"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_(
            "UTF-8, one declaration a line, with the header: number, registered_at, "
            "customs_office, trader_tax_code, declarant_tax_code, agent_code, "
            "signer_serial, channel."
        ),
    )

    # A CSV of 10,000 declarations is about 1 MB.
    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(_("The file is larger than 5 MB: split it into batches."))
        return upload


FLAG_ACTIONS = [
    (FlagStatus.ACKNOWLEDGED, _("Acknowledge")),
    (FlagStatus.RESOLVED, _("Resolve")),
    (FlagStatus.DISMISSED, _("Dismiss")),
]


class FlagActionForm(forms.Form):
    """Acknowledge, resolve or dismiss a flag (customs), with a note."""

    action = forms.ChoiceField(label=_("Action"), choices=FLAG_ACTIONS)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        validators=[multi_line_text_validate],
    )

    def offer_only(self, actions: tuple[str, ...]) -> None:
        """Show only ``actions`` in the menu, those the flag allows now. Any action is still
        read, so that the service's refusal explains why another one is not possible."""
        widget = self.fields["action"].widget
        assert isinstance(widget, forms.Select)
        widget.choices = [(value, label) for value, label in FLAG_ACTIONS if value in actions]


class FlagNoteForm(forms.Form):
    """A trader's or a broker's explanation on a flag."""

    note = forms.CharField(
        label=_("note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        validators=[multi_line_text_validate],
    )


class DeclarationAlertForm(forms.Form):
    email_every_declaration = forms.BooleanField(
        label=_("E-mail our administrators for every declaration filed in our name"),
        required=False,
    )


class ScanRequestForm(forms.Form):
    """The scan buttons: new declarations or a full rescan, or another try of a scan that
    failed or never finished."""

    full = forms.ChoiceField(
        choices=[("0", _("new declarations")), ("1", _("full"))], required=False
    )
    retry = forms.ModelChoiceField(queryset=ScanRun.objects.all(), required=False)

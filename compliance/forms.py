"""Forms of the compliance pages: declaration rows and uploads, flag decisions and notes,
the declaration alert."""

import re
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.utils import from_current_timezone
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


class DeclarationRow(NamedTuple):
    """One declaration of the feed once cleaned, in the order the ingest stores it."""

    number: str
    registered_at: datetime
    customs_office: str
    trader_tax_code: str
    declarant_tax_code: str
    agent_code: str
    signer_serial: str
    channel: str


_ROW_FIELDS = frozenset(DeclarationRowForm.base_fields)
_ROW_REQUIRED = frozenset(
    name for name, row_field in DeclarationRowForm.base_fields.items() if row_field.required
)
_CHANNELS = frozenset(Declaration.Channel.values)


def _whole(pattern: str, max_length: int | None) -> Any:
    """``fullmatch`` of the form's pattern, for values no longer than the form's limit:
    ASCII letters, digits and a few signs, so never a control character either. The limit
    is a lookahead of the same expression, so that a check is one call into ``re``."""
    assert max_length is not None
    return re.compile(rf"(?=.{{0,{max_length}}}\Z)(?:{pattern})").fullmatch


def _form_limit(name: str) -> int | None:
    row_field = DeclarationRowForm.base_fields[name]
    assert isinstance(row_field, forms.CharField)
    return row_field.max_length


_NUMBER = _whole(DECLARATION_NUMBER_PATTERN, _form_limit("number"))
_OFFICE = _whole(CUSTOMS_OFFICE_PATTERN, _form_limit("customs_office"))
_TAX_CODE = _whole(TAX_CODE_PATTERN, _form_limit("trader_tax_code"))
_AGENT_CODE = _whole(AGENT_CODE_PATTERN, _form_limit("agent_code"))
_SIGNER_SERIAL = _whole(SIGNER_SERIAL_PATTERN, _form_limit("signer_serial"))


class DeclarationRowCleaner:
    """Cleans the feed's rows as ``DeclarationRowForm`` does, without building a form for
    each: a row whose every value passes a check at least as strict as the form's (its own
    patterns and limits, then the same normalisations) is cleaned here; any other row goes
    through the form, which accepts or words the errors, so that the messages are the
    form's and a batch of 10,000 is read in milliseconds."""

    def __init__(self, *, offices: Collection[str]) -> None:
        self.offices = offices
        # The form compares with the time of each row; a batch's start is earlier, hence
        # stricter: a row this refuses and the form accepts is still stored.
        self.latest = timezone.now() + timedelta(days=1)
        # A batch names the same offices, parties and agents over and over: each value
        # that passed once is remembered with its cleaned form (only those that passed).
        self._offices_read: dict[str, str] = {}
        self._tax_codes_read: dict[str, str] = {}
        self._agent_codes_read: dict[str, str] = {"": ""}

    def clean(self, row: Any) -> tuple[DeclarationRow | None, dict[str, list[str]]]:
        """The row cleaned, or None and the form's messages by field (``__all__`` for the
        row as a whole)."""
        cleaned = self._quick(row)
        if cleaned is not None:
            return cleaned, {}
        if not isinstance(row, Mapping):
            return None, {"__all__": [str(_("A declaration is an object."))]}
        form = DeclarationRowForm(data=row, offices=self.offices)
        if not form.is_valid():
            return None, {
                name: [str(message) for message in messages]
                for name, messages in form.errors.items()
            }
        data = form.cleaned_data
        return DeclarationRow(*(data[name] for name in DeclarationRow._fields)), {}

    def _quick(self, row: Any) -> DeclarationRow | None:
        """The row cleaned when every value is plainly right, else None (the form decides)."""
        if type(row) is not dict:
            return None
        keys = row.keys()
        if not (keys <= _ROW_FIELDS and keys >= _ROW_REQUIRED):
            return None
        number = row["number"]
        registered = row["registered_at"]
        channel = row["channel"]
        serial = row.get("signer_serial")
        if not (
            type(number) is str
            and _NUMBER(number)
            and type(channel) is str
            and channel in _CHANNELS
            and type(registered) is str
            and registered.isascii()
            and registered.isprintable()
            and (serial is None or (type(serial) is str and _SIGNER_SERIAL(serial)))
        ):
            return None
        office = self._office(row["customs_office"])
        trader = self._tax_code(row["trader_tax_code"])
        declarant = self._tax_code(row["declarant_tax_code"])
        agent = self._agent_code(row.get("agent_code", ""))
        if office is None or trader is None or declarant is None or agent is None:
            return None
        serial = (serial or "").replace(":", "").replace(" ", "").replace("-", "")
        serial = serial.upper().lstrip("0")
        if len(serial) > 64:
            return None
        try:
            # What Django's DateTimeField does with a string it reads as ISO 8601 (a time
            # without an offset is in the site's zone).
            registered_at = datetime.fromisoformat(registered)
            if registered_at.tzinfo is None:
                registered_at = from_current_timezone(registered_at)
        except (ValueError, ValidationError):
            return None
        if registered_at > self.latest:
            return None
        return DeclarationRow(
            number, registered_at, office, trader, declarant, agent, serial, channel
        )

    def _office(self, value: Any) -> str | None:
        """The office's code upper-cased when it is of its format and known, else None."""
        if type(value) is not str:
            return None
        code = self._offices_read.get(value)
        if code is None and _OFFICE(value) and value.upper() in self.offices:
            code = self._offices_read[value] = value.upper()
        return code

    def _tax_code(self, value: Any) -> str | None:
        """The tax code normalised when it is of its format and valid, else None."""
        if type(value) is not str:
            return None
        code = self._tax_codes_read.get(value)
        if code is None and _TAX_CODE(value):
            try:
                code = self._tax_codes_read[value] = _tax_code_normalize_cached(value)
            except (ValueError, ValidationError):
                return None
        return code

    def _agent_code(self, value: Any) -> str | None:
        """The agent code upper-cased (empty when absent or null) when it is of its format."""
        if value is None:
            return ""
        if type(value) is not str:
            return None
        code = self._agent_codes_read.get(value)
        if code is None and _AGENT_CODE(value):
            code = self._agent_codes_read[value] = value.upper()
        return code


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

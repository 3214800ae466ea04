"""Forms of the compliance pages: declaration rows and uploads, flag decisions and notes,
the declaration alert."""

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.taxcode import tax_code_normalize
from compliance.models import Declaration, FlagStatus


@lru_cache(maxsize=8192)
def _tax_code_normalize_cached(value: str) -> str:
    # A batch names the same few thousand parties over and over; only valid codes are
    # cached (an invalid one raises, and exceptions are not cached).
    return tax_code_normalize(value)


class DeclarationRowForm(forms.Form):
    """One declaration as the clearance feed sends it (the API's and the CSV's fields)."""

    number = forms.CharField(label=_("declaration number"), max_length=32)
    registered_at = forms.DateTimeField(label=_("registered at"))
    customs_office = forms.CharField(label=_("customs office"), max_length=8)
    trader_tax_code = forms.CharField(label=_("trader tax code"), max_length=20)
    declarant_tax_code = forms.CharField(label=_("declarant tax code"), max_length=20)
    agent_code = forms.CharField(label=_("agent code"), max_length=32, required=False)
    signer_serial = forms.CharField(
        label=_("signer certificate serial"), max_length=64, required=False
    )
    channel = forms.ChoiceField(label=_("channel"), choices=Declaration.Channel.choices)

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
        return str(self.cleaned_data["customs_office"]).upper()

    def clean_agent_code(self) -> str:
        return str(self.cleaned_data["agent_code"]).upper()

    def clean_signer_serial(self) -> str:
        # Clearance records serials in upper-case hexadecimal, without separators or
        # leading zeros; certificates are registered the same way.
        serial = "".join(ch for ch in str(self.cleaned_data["signer_serial"]) if ch not in ": -")
        serial = serial.upper().lstrip("0")
        if serial and any(ch not in "0123456789ABCDEF" for ch in serial):
            raise ValidationError(_("A certificate serial number is hexadecimal."))
        return serial


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
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
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
        label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class DeclarationAlertForm(forms.Form):
    email_every_declaration = forms.BooleanField(
        label=_("E-mail our administrators for every declaration filed in our name"),
        required=False,
    )

"""The form of the risk pages: opening a flag from a finding."""

from django import forms
from django.utils.translation import gettext_lazy as _


class RiskFlagForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the work queue"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what to check. The finding's reasons are added to the flag."),
    )

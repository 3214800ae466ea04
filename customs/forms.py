"""Forms of the customs area: a sanction, its lifting, an agent's withdrawal."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brokers.models import Sanction


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea() -> forms.Textarea:
    return forms.Textarea(attrs={"rows": 3})


class SanctionForm(forms.Form):
    """A suspension or a revocation as the officer enters it; the service re-checks it."""

    kind = forms.ChoiceField(label=_("Action"), choices=Sanction.Kind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea())
    decision_number = forms.CharField(label=_("Decision number"), max_length=64)
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        help_text=_("Leave empty for a suspension until further notice."),
        widget=_date_input(),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The rules on a sanction's dates are its model's constraints. They are asked here
        # as well, so that the officer is not shown the consequences of a sanction that the
        # service would refuse.
        sanction = Sanction(
            **{name: cleaned.get(name) for name in ("kind", "starts_on", "ends_on")}
        )
        try:
            sanction.validate_constraints(exclude=set(self.errors))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class SanctionLiftForm(forms.Form):
    reason = forms.CharField(label=_("Reason for lifting"), max_length=2000, widget=_textarea())
    lifted_on = forms.DateField(label=_("Lifted from"), widget=_date_input())


class AgentWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=2000, widget=_textarea())

"""Brokers: forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# --- register (issue 3) ---
from accounts.provinces import Province
from brokers.models import BrokerStatus, CustomsOffice, Sanction

REGISTER_SORT_CHOICES = [
    ("name", _("Name")),
    ("-issued_on", _("Licence date, newest first")),
    ("issued_on", _("Licence date, oldest first")),
]


def _office_choices() -> list[tuple[str, str]]:
    offices = CustomsOffice.objects.order_by("code").values_list("code", "name")
    return [("", str(_("All customs offices"))), *offices]


class BrokerSearchForm(forms.Form):
    """The register's search and filters, shared by the page, the CSV export and the API."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, tax code or licence number"),
                "autocomplete": "off",
            }
        ),
    )
    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        choices=[("", _("All provinces")), *Province.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *BrokerStatus.choices],
    )
    # Choices are read when the field is rendered or a value is checked, in one query:
    # an API request without ``office`` costs none.
    office = forms.ChoiceField(label=_("Customs office"), required=False, choices=_office_choices)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=REGISTER_SORT_CHOICES)

    def search_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``broker_search``: the valid fields, the others left out
        (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "province": data.get("province") or "",
            "status": data.get("status") or "",
            "office": data.get("office") or "",
            "sort": data.get("sort") or "name",
        }


# --- customs actions on brokers and agents (issue 7) ---


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _textarea() -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control", "rows": 3})


class SanctionForm(forms.Form):
    """A suspension or a revocation as the officer enters it; the service re-checks it."""

    kind = forms.ChoiceField(
        label=_("Action"),
        choices=Sanction.Kind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=_textarea())
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=_date_input())
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        help_text=_("Leave empty for a suspension until further notice."),
        widget=_date_input(),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind, starts_on, ends_on = (
            cleaned.get("kind"),
            cleaned.get("starts_on"),
            cleaned.get("ends_on"),
        )
        if kind == Sanction.Kind.REVOCATION and ends_on:
            self.add_error("ends_on", _("A revocation has no end date."))
        elif starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date is before the start date."))
        return cleaned


class SanctionLiftForm(forms.Form):
    reason = forms.CharField(label=_("Reason for lifting"), max_length=2000, widget=_textarea())
    lifted_on = forms.DateField(label=_("Lifted from"), widget=_date_input())


class AgentWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=2000, widget=_textarea())

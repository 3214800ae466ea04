"""Brokers: forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# --- register (issue 3) ---
from accounts.provinces import Province
from brokers.models import BrokerStatus, CustomsOffice

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

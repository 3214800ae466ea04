"""The filters of the ranked certificates, brokers and traders, for the risk page and the
API: the province of the row's organisation (for a certificate, of the organisation it is
registered to), and a customs office where the row has declarations in the analysed window
(stored by the refresh, ``RiskOffice``)."""

from typing import Any, ClassVar

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from brokers.filters import office_choices
from risk.models import BrokerRisk, RiskOffice, SignerRisk, Subject, TraderRisk


class RiskFilter(django_filters.FilterSet):
    province = django_filters.ChoiceFilter(
        label=_("Province"), choices=Province.choices, empty_label=_("All provinces")
    )
    # The offices are read when the menu is drawn or a code is checked, in one query.
    office = django_filters.ChoiceFilter(
        label=_("Customs office"),
        method="at_office",
        choices=office_choices,
        empty_label=_("All customs offices"),
    )

    subject: ClassVar[str]
    # The column of the row that ``RiskOffice.key`` holds.
    office_key: ClassVar[str]

    def at_office(self, rows: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return rows.filter(
            Exists(
                RiskOffice.objects.filter(
                    subject=self.subject, office_code=value, key=OuterRef(self.office_key)
                )
            )
        )


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class SignerRiskFilter(RiskFilter):
    """Certificates used for ``min_traders`` traders or more (``RISK_SIGNER_MIN_TRADERS``
    when not given)."""

    min_traders = WholeNumberFilter(
        label=_("Signed for at least this many traders"),
        field_name="traders",
        lookup_expr="gte",
        min_value=1,
        max_value=1_000_000,
    )
    subject = Subject.SIGNER
    office_key = "signer_serial"

    class Meta:
        model = SignerRisk
        fields: list[str] = []

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        rows = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("min_traders") is None:
            rows = rows.filter(traders__gte=settings.RISK_SIGNER_MIN_TRADERS)
        return rows


class BrokerRiskFilter(RiskFilter):
    subject = Subject.BROKER
    office_key = "broker__organization__tax_code"

    class Meta:
        model = BrokerRisk
        fields: list[str] = []


class TraderRiskFilter(RiskFilter):
    subject = Subject.TRADER
    office_key = "trader_tax_code"

    class Meta:
        model = TraderRisk
        fields: list[str] = []

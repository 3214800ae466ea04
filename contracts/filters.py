"""The filters of the contracts and letters lists."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from contracts.models import ContractStatus, LetterOfAuthority, ServiceContract


class ContractFilter(django_filters.FilterSet):
    """Filters contracts annotated with their ``current_status`` (``contracts_visible_to``)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        field_name="current_status",
        choices=ContractStatus.choices,
        empty_label=_("Any status"),
    )
    q = django_filters.CharFilter(
        label=_("Search"), method="search", max_length=100, widget=forms.SearchInput
    )

    class Meta:
        model = ServiceContract
        fields: list[str] = []

    def search(
        self, contracts: QuerySet[ServiceContract], name: str, value: str
    ) -> QuerySet[ServiceContract]:
        return contracts.filter(
            Q(reference__icontains=value)
            | Q(trader__name__icontains=value)
            | Q(trader__tax_code__startswith=value)
            | Q(broker__organization__name__icontains=value)
            | Q(broker__license_number__icontains=value)
        )


class LetterFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=LetterOfAuthority.Status.choices, empty_label=_("Any status")
    )
    q = django_filters.CharFilter(
        label=_("Search"), method="search", max_length=100, widget=forms.SearchInput
    )

    class Meta:
        model = LetterOfAuthority
        fields: list[str] = []

    def search(
        self, letters: QuerySet[LetterOfAuthority], name: str, value: str
    ) -> QuerySet[LetterOfAuthority]:
        return letters.filter(
            Q(number__icontains=value)
            | Q(agent__full_name__icontains=value)
            | Q(agent__agent_code__icontains=value)
            | Q(contract__trader__name__icontains=value)
            | Q(contract__reference__icontains=value)
        )

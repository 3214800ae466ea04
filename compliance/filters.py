"""The filters of the flags, for their page and the API."""

from datetime import date, datetime, time, timedelta

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import DATE_PICKER, DateRangeForm
from compliance.models import Flag, FlagKind, FlagStatus


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class FlagFilter(django_filters.FilterSet):
    """``trader`` and ``broker`` match a tax code exactly or a name in part, ``broker`` also
    a licence number; ``since`` and ``until`` are days of registration, in local time."""

    kind = django_filters.ChoiceFilter(
        label=_("kind"), choices=FlagKind.choices, empty_label=_("any kind")
    )
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=FlagStatus.choices, empty_label=_("any status")
    )
    trader = django_filters.CharFilter(label=_("trader"), method="of_trader", max_length=255)
    broker = django_filters.CharFilter(label=_("broker"), method="of_broker", max_length=255)
    since = django_filters.DateFilter(
        label=_("registered from"), method="registered_since", widget=DATE_PICKER
    )
    until = django_filters.DateFilter(
        label=_("registered until"), method="registered_until", widget=DATE_PICKER
    )

    class Meta:
        model = Flag
        fields: list[str] = []
        form = DateRangeForm

    def of_trader(self, flags: QuerySet[Flag], name: str, value: str) -> QuerySet[Flag]:
        return flags.filter(
            Q(declaration__trader_tax_code=value) | Q(trader__name__icontains=value)
        )

    def of_broker(self, flags: QuerySet[Flag], name: str, value: str) -> QuerySet[Flag]:
        return flags.filter(
            Q(declaration__declarant_tax_code=value)
            | Q(broker__license_number=value)
            | Q(broker__organization__name__icontains=value)
        )

    def registered_since(self, flags: QuerySet[Flag], name: str, value: date) -> QuerySet[Flag]:
        return flags.filter(declaration__registered_at__gte=_local_start(value))

    def registered_until(self, flags: QuerySet[Flag], name: str, value: date) -> QuerySet[Flag]:
        return flags.filter(declaration__registered_at__lt=_local_start(value + timedelta(days=1)))

"""The register's search and filters: one statement of them for its page, its CSV export,
the public API and the customs area's list."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from accounts.text import text_fold
from brokers.cache import register_cached
from brokers.models import Broker, BrokerStatus, CustomsOffice

# By name means by the folded name (``search_text`` starts with it, then the tax code and
# licence number): "Đông Á" sorts with the Ds, and the order is the same on every database.
REGISTER_ORDERINGS: dict[str, tuple[str, ...]] = {
    "name": ("search_text",),
    "issued_on": ("issued_on", "license_number"),
    "-issued_on": ("-issued_on", "license_number"),
}
REGISTER_SORT_CHOICES = [
    ("name", _("Name")),
    ("-issued_on", _("Licence date, newest first")),
    ("issued_on", _("Licence date, oldest first")),
]


def office_choices() -> list[tuple[str, str]]:
    """The customs offices as choices of a filter: (code, name), by code; cached with the
    register's answers."""
    return register_cached(
        ("customs offices",),
        lambda: list(CustomsOffice.objects.order_by("code").values_list("code", "name")),
    )


class BrokerFilter(django_filters.FilterSet):
    """Filters and sorts brokers annotated with their ``status`` (``broker_register``).
    A value that does not validate leaves its filter out; the form says why."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=100,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Name, tax code or licence number"), "autocomplete": "off"}
        ),
    )
    province = django_filters.ChoiceFilter(
        label=_("Province"),
        field_name="organization__province",
        choices=Province.choices,
        empty_label=_("All provinces"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=BrokerStatus.choices, empty_label=_("Any status")
    )
    # The offices are read when the menu is drawn or a code is checked, in one query: an
    # API request without ``office`` costs none.
    office = django_filters.ChoiceFilter(
        label=_("Customs office"),
        field_name="customs_offices__code",
        choices=office_choices,
        empty_label=_("All customs offices"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), method="sort_by", choices=REGISTER_SORT_CHOICES, empty_label=None
    )

    class Meta:
        model = Broker
        fields: list[str] = []

    def search(self, brokers: QuerySet[Broker], name: str, value: str) -> QuerySet[Broker]:
        # Every word must appear; each is a LIKE served by the trigram index on PostgreSQL.
        for word in text_fold(value).split():
            brokers = brokers.filter(search_text__contains=word)
        return brokers

    def sort_by(self, brokers: QuerySet[Broker], name: str, value: str) -> QuerySet[Broker]:
        return brokers.order_by(*REGISTER_ORDERINGS[value])

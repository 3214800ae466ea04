"""The register's search and filters: one statement of them for its page, its CSV export,
the public API and the customs area's list."""

import django_filters
from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.provinces import Province
from accounts.text import text_fold
from brokers.cache import register_cache_keys, register_cached
from brokers.models import Broker, BrokerStatus, CustomsOffice
from brokers.terms import ABBREVIATIONS

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


def search_groups(value: str) -> list[tuple[str, ...]]:
    """The folded query as groups of alternatives, each of which must match: a word, or an
    abbreviation with the words it stands for (``cty`` and ``cong ty`` either way)."""
    words = text_fold(value).split()
    expansions = [(abbreviation, full.split()) for abbreviation, full in ABBREVIATIONS.items()]
    groups: list[tuple[str, ...]] = []
    index = 0
    while index < len(words):
        for abbreviation, full in expansions:
            if words[index : index + len(full)] == full:
                groups.append((" ".join(full), abbreviation))
                index += len(full)
                break
            if words[index] == abbreviation:
                groups.append((abbreviation, " ".join(full)))
                index += 1
                break
        else:
            groups.append((words[index],))
            index += 1
    return groups


def _any_contains(group: tuple[str, ...], whole_word: bool = False) -> Q:
    condition = Q()
    for alternative in group:
        if whole_word:
            condition |= Q(search_text__contains=f" {alternative} ")
        else:
            condition |= Q(search_text__contains=alternative)
    return condition


def match_rank(value: str, groups: list[tuple[str, ...]]) -> Case:
    """0 for the exact licence number or tax code, 1 when every word matches a whole word of
    the name, 2 for partial matches."""
    exact = text_fold(value).strip()
    whole_words = Q()
    for group in groups:
        whole_words &= _any_contains(group, whole_word=True)
    exact_identifier = Q(license_number__iexact=exact)
    if exact.replace("-", "").isdigit():
        # A tax code is a whole word of the search text: no join to the organisation.
        exact_identifier |= Q(search_text__contains=f" {exact} ")
    return Case(
        When(exact_identifier, then=Value(0)),
        When(whole_words, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def office_choices() -> list[tuple[str, str]]:
    """The customs offices as choices of a filter: (code, name), by code; cached with the
    register's answers."""
    return register_cached(
        register_cache_keys(("customs offices",)),
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
        # Every word (or its abbreviation) must appear; each is a LIKE served by the trigram
        # index on PostgreSQL. Sorted by name, the best matches come first.
        groups = search_groups(value)
        for group in groups:
            brokers = brokers.filter(_any_contains(group))
        if not groups:
            return brokers
        return brokers.alias(match_rank=match_rank(value, groups)).order_by(
            "match_rank", *REGISTER_ORDERINGS["name"]
        )

    def sort_by(self, brokers: QuerySet[Broker], name: str, value: str) -> QuerySet[Broker]:
        if value == "name" and "match_rank" in brokers.query.annotations:
            # A search sorted by name: the best matches first, by name within each rank.
            ranked = ("match_rank", *REGISTER_ORDERINGS[value])
            return brokers.order_by(*ranked)
        return brokers.order_by(*REGISTER_ORDERINGS[value])

"""Pages of the register that pick their rows before joining anything to them.

A search that matches thousands of brokers would otherwise join every match to its
organisation and work out its status before the sort keeps 25 (on PostgreSQL, "dai ly hai
quan": 7 ms at 20,000 brokers); sorting the brokers alone and joining the page's rows only
keeps it to the index scan. Still one query per page.

The first pages of a broad search walk the brokers in name order and keep the first that
match (0.3 ms for "dai ly hai quan"), rather than reading every match through the trigram
index to sort them (6 to 9 ms): PostgreSQL cannot tell how many brokers a ``LIKE '%word%'``
matches, and guesses few, so the page's conditions are written in a form that index does not
serve (``strpos``, the same test), leaving it the name's index to walk.

A search made only of the register's common terms ("cong ty", "dai ly hai quan") is counted
from ``BrokerSearchCount`` (``brokers.terms``), without reading a broker."""

from typing import Any, TypeGuard

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import F, QuerySet, Sum, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import Contains, GreaterThan
from django.db.models.sql.where import AND, OR, WhereNode
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from brokers.cache import register_cache_keys, register_cached
from brokers.models import Broker, BrokerSearchCount
from brokers.selectors import broker_register
from brokers.terms import terms_mask

# A search with more matches than this is listed by name rather than ranked.
RANKED_MATCHES_LIMIT = 1000


class RegisterPaginator(Paginator):
    """Pages of the register's brokers as ``broker_register`` gives them (status today)."""

    @cached_property
    def count(self) -> int:
        """The number of matches, cached with the register's answers under the search's own
        SQL: a search is counted once per register version, whichever page, page size or
        sort is asked for ("cong ty" counts all 20,000 brokers: 6 ms on PostgreSQL)."""
        matches: QuerySet[Broker] = self.object_list  # type: ignore[assignment]
        try:
            sql, params = matches.order_by().query.sql_with_params()
        except EmptyResultSet:
            return 0
        keys = register_cache_keys(("count", sql, *params))

        def count() -> int:
            counted = common_terms_count(matches)
            return Paginator.count.func(self) if counted is None else counted  # type: ignore[attr-defined]

        return register_cached(keys, count)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        matches: QuerySet[Broker] = self.object_list  # type: ignore[assignment]
        ordering = matches.query.order_by
        if "match_rank" in ordering and self.count > RANKED_MATCHES_LIMIT:
            # Ranking every match of a broad search ("cong ty": the whole register) costs a
            # pass over all of them; such a search lists by name, through the name's index.
            ordering = tuple(name for name in ordering if name != "match_rank")
            matches = matches.order_by(*ordering)
        if ordering == ("search_text",) and top <= self.count // 4:
            # A broad search's early page: at least one broker in four it passes matches.
            matches = matches.all()
            _search_by_position(matches.query.where)
        page_ids = matches.values("pk")[bottom:top]
        # The page's rows anew, in the same order: the search's own conditions (and the joins
        # of its filters) stay in the subquery.
        rows = broker_register().filter(pk__in=page_ids)
        # The ranking of a search (``BrokerFilter.search``) is an alias of the broker's own
        # columns, which the page's rows can order by again.
        ranking = {
            name: expression
            for name, expression in matches.query.annotations.items()
            if name not in rows.query.annotations
        }
        rows = rows.alias(**ranking).order_by(*ordering)
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]


def common_terms_count(brokers: QuerySet[Broker]) -> int | None:
    """The number of ``brokers`` from the counts kept by their common search terms, when
    the only conditions on them are the search's for such terms (or none at all); None
    otherwise, and on a database other than PostgreSQL (which alone keeps the counts).
    Exact: a broker's bit of a term is the same ``LIKE`` the search tests."""
    if connections[brokers.db].vendor != "postgresql":
        return None
    query = brokers.query
    if query.distinct or query.combinator or query.is_sliced or query.where.negated:
        return None
    if query.where.connector != AND:
        return None
    masks: list[int] = []
    for condition in query.where.children:
        terms = _searched_terms(condition)
        mask = terms_mask(terms) if terms else None
        if mask is None:
            return None
        masks.append(mask)
    counts = BrokerSearchCount.objects.using(brokers.db).filter(
        *(GreaterThan(F("flags").bitand(mask), 0) for mask in masks)
    )
    return counts.aggregate(brokers=Sum("brokers"))["brokers"] or 0


def _searched_terms(condition: Any) -> tuple[str, ...] | None:
    """The terms of a search group's condition: ``search_text`` contains one of them."""
    if _search_text_contains(condition):
        return (condition.rhs,)
    if not isinstance(condition, WhereNode) or condition.connector != OR or condition.negated:
        return None
    alternatives: list[Any] = list(condition.children)
    if not all(_search_text_contains(child) for child in alternatives):
        return None
    return tuple(child.rhs for child in alternatives)


def _search_text_contains(condition: Any) -> TypeGuard[Contains]:
    """Whether ``condition`` is one of the search's ``search_text LIKE '%word%'``."""
    return (
        type(condition) is Contains
        and getattr(condition.lhs, "target", None) == Broker._meta.get_field("search_text")
        and isinstance(condition.rhs, str)
    )


def _search_by_position(where: WhereNode) -> None:
    """Rewrite, in place, the search's ``search_text LIKE '%word%'`` conditions as
    ``strpos(search_text, 'word') > 0``: the same test, which the trigram index does not
    serve."""
    for index, child in enumerate(where.children):
        if isinstance(child, WhereNode):
            _search_by_position(child)
        elif _search_text_contains(child):
            position = GreaterThan(StrIndex(child.lhs, Value(child.rhs)), 0)
            where.children[index] = position  # type: ignore[call-overload]  # a lookup is a node


class RegisterPagination(PageNumberPagination):
    """The register API's pages: ``page_size`` as asked, up to 100."""

    django_paginator_class = RegisterPaginator
    page_size_query_param = "page_size"
    max_page_size = 100

"""Pages of the register that pick their rows before joining anything to them.

A search that matches thousands of brokers would otherwise join every match to its
organisation and work out its status before the sort keeps 25 (on PostgreSQL, "dai ly hai
quan": 7 ms at 20,000 brokers); sorting the brokers alone and joining the page's rows only
keeps it to the index scan. Still one query per page."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination

from brokers.models import Broker
from brokers.selectors import broker_register

# A search with more matches than this is listed by name rather than ranked.
RANKED_MATCHES_LIMIT = 1000


class RegisterPaginator(Paginator):
    """Pages of the register's brokers as ``broker_register`` gives them (status today)."""

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


class RegisterPagination(PageNumberPagination):
    """The register API's pages: ``page_size`` as asked, up to 100."""

    django_paginator_class = RegisterPaginator
    page_size_query_param = "page_size"
    max_page_size = 100

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


class RegisterPaginator(Paginator):
    """Pages of the register's brokers as ``broker_register`` gives them (status today)."""

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        matches: QuerySet[Broker] = self.object_list  # type: ignore[assignment]
        page_ids = matches.values("pk")[bottom:top]
        # The page's rows anew, in the same order: the search's own conditions (and the joins
        # of its filters) stay in the subquery.
        rows = broker_register().filter(pk__in=page_ids).order_by(*matches.query.order_by)
        return self._get_page(rows, number, self)  # type: ignore[attr-defined]


class RegisterPagination(PageNumberPagination):
    django_paginator_class = RegisterPaginator

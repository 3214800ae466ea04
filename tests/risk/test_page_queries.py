"""The risk pages and API read the stored results in a fixed number of queries, whatever
the data size: pinned on every database, and on PostgreSQL with the production plans."""

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from accounts.models import Organization
from brokers.filters import office_choices
from risk.refresh import risk_refresh
from tests.factories import (
    BrokerFactory,
    DeclarationFactory,
    SigningCertificateFactory,
    UserFactory,
)
from tests.risk.patterns import OFFICE, Patterns, build_patterns

pytestmark = pytest.mark.django_db

# Session, user and its organisation, the menu's counts of what waits, then the page's own:
# the last run, the list's count and page (parties and peer groups joined), and the charts'
# one aggregate. The customs offices of the filter's menu (and of its check) come from the
# register's cache, read once until the register changes.
OVERVIEW_QUERIES = 4 + 4
OVERVIEW_AT_OFFICE_QUERIES = OVERVIEW_QUERIES
# Session, user, organisation, the menu's counts; the finding, the last run, the open flag,
# the count and the page of declarations and their flags.
FINDING_QUERIES = 4 + 6


@pytest.fixture
def memory_cache(settings: Any) -> None:
    # The database cache of the test settings would add its own queries to the count.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


@pytest.fixture
def patterns() -> Patterns:
    return build_patterns()


def _grow(size: int) -> None:
    for n in range(size):
        broker = BrokerFactory.create()
        serial = SigningCertificateFactory.create(organization=broker.organization).serial_number
        for _ in range(3):
            DeclarationFactory.create(
                declarant_tax_code=broker.organization.tax_code,
                signer_serial=serial,
                agent_code=f"G{n}",
                customs_office_code=OFFICE,
            )


def _pin_pages(client: Client, patterns: Patterns, assert_num_queries: Any) -> None:
    client.force_login(UserFactory.create(organization__kind=Organization.Kind.CUSTOMS))
    office_choices()  # the register's cache holds the offices
    for query in ({}, {"list": "broker"}, {"list": "trader", "province": "hai-phong"}):
        with assert_num_queries(OVERVIEW_QUERIES):
            assert client.get("/customs/risk/", query).status_code == 200
    with assert_num_queries(OVERVIEW_AT_OFFICE_QUERIES):
        assert client.get("/customs/risk/", {"office": OFFICE}).status_code == 200
    for path in (
        f"/customs/risk/signer/{patterns.lent_serial}/",
        f"/customs/risk/broker/{patterns.green.broker.license_number}/",
        f"/customs/risk/trader/{patterns.switching.tax_code}/",
    ):
        with assert_num_queries(FINDING_QUERIES):
            assert client.get(path).status_code == 200


@pytest.mark.parametrize("size", [0, 30])
def test_the_pages_run_a_fixed_number_of_queries(
    client: Client,
    patterns: Patterns,
    size: int,
    memory_cache: None,
    django_assert_num_queries: Any,
) -> None:
    _grow(size)
    risk_refresh()
    _pin_pages(client, patterns, django_assert_num_queries)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pins the pages on PostgreSQL, the production database (set DATABASE_URL)",
)
@pytest.mark.parametrize("size", [0, 60])
def test_the_pages_run_a_fixed_number_of_queries_on_postgresql(
    client: Client,
    patterns: Patterns,
    size: int,
    memory_cache: None,
    django_assert_num_queries: Any,
) -> None:
    _grow(size)
    risk_refresh()
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'risk_item'")
        assert cursor.fetchone() == ("u",), "the work table is unlogged"
    _pin_pages(client, patterns, django_assert_num_queries)
